package io.wharf.core.service;

import io.wharf.core.model.Digest;
import java.nio.ByteBuffer;
import java.security.MessageDigest;

/** The JDK's SHA-256 (the CPU's SHA instructions where present): fast, but its state cannot be exported. */
final class JdkSha256 implements UploadHash {
    private final MessageDigest digest = Digest.Algorithm.SHA256.newMessageDigest();

    @Override
    public void update(ByteBuffer bytes) {
        digest.update(bytes);
    }

    @Override
    public byte[] state() {
        return null;
    }

    @Override
    public byte[] peekDigest() {
        try {
            return ((MessageDigest) digest.clone()).digest();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's SHA-256 is cloneable", e);
        }
    }
}
