package io.wharf.core.service;

import java.security.MessageDigest;

/** In-memory running SHA-256 of an upload at a known offset; lost on restart and then rebuilt. */
final class UploadState {
    final MessageDigest sha256;
    long offset;

    UploadState(MessageDigest sha256, long offset) {
        this.sha256 = sha256;
        this.offset = offset;
    }

    /** The digest so far, without disturbing the running state (a mismatch leaves the upload usable). */
    byte[] peekDigest() {
        try {
            return ((MessageDigest) sha256.clone()).digest();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's SHA-256 is cloneable", e);
        }
    }
}
