package io.wharf.core.service;

import java.nio.ByteBuffer;

/**
 * The running SHA-256 of a chunked upload. Two kinds: {@link ResumableSha256}, whose state is saved with every
 * acknowledged offset so that another process continues the upload without reading its bytes again (nodes sharing a
 * database), and {@link JdkSha256}, about 8× faster on CPUs with SHA instructions but with no state to save (one
 * process: after a restart the hash is rebuilt from the bytes on its own disk).
 */
interface UploadHash {

    void update(ByteBuffer bytes);

    /** The running state to save with the offset, or null when this hash cannot be resumed elsewhere. */
    byte[] state();

    /** The digest of the bytes so far, without disturbing the running state. */
    byte[] peekDigest();

    /** A fresh hash of the kind the deployment needs: resumable when other processes may continue uploads. */
    static UploadHash fresh(boolean resumable) {
        return resumable ? ResumableSha256.fresh() : new JdkSha256();
    }
}
