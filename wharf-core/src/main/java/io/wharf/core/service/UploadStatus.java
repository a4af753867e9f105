package io.wharf.core.service;

/** Where an upload stands: {@code offset} bytes received and acknowledged. */
public record UploadStatus(String uploadId, long offset) {
}
