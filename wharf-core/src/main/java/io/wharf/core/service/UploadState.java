package io.wharf.core.service;

/** The running SHA-256 of an upload at a known offset; cached in memory, its state also saved with the offset. */
final class UploadState {
    final ResumableSha256 sha256;
    long offset;

    UploadState(ResumableSha256 sha256, long offset) {
        this.sha256 = sha256;
        this.offset = offset;
    }

    /** The digest so far, without disturbing the running state (a mismatch leaves the upload usable). */
    byte[] peekDigest() {
        return sha256.peekDigest();
    }
}
