package io.wharf.core.service;

import io.wharf.core.model.Digest;

/** Outcome of a mount request: the blob was linked, or an upload session was opened instead. */
public sealed interface MountResult permits MountResult.Mounted, MountResult.UploadStarted {
    record Mounted(Digest digest) implements MountResult {
    }

    record UploadStarted(UploadStatus status) implements MountResult {
    }
}
