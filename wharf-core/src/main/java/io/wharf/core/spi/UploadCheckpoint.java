package io.wharf.core.spi;

/**
 * An upload's acknowledged offset with the running SHA-256 state after exactly those bytes, saved together so that
 * any node continues the hash without reading the bytes again.
 *
 * @param hashState the encoded hash state, or null when none was saved (then the hash is rebuilt from the bytes)
 */
public record UploadCheckpoint(long offset, byte[] hashState) {
}
