package io.wharf.storage.s3;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.WritableByteChannel;

/**
 * Writes an upload from an offset: fills one part's buffer (starting with the bytes of that part before the offset),
 * writes each full part as it fills and the last, shorter one at close. Each part written is recorded at once, so the
 * bytes a failed chunk wrote count until the service appends at its acknowledged offset again, as on a filesystem.
 */
final class PartWriter implements WritableByteChannel {
    private final S3UploadStore store;
    private final S3UploadRecords.Upload upload;
    private final long partSize;
    private int part;
    private byte[] buffer;
    private int filled;
    private boolean dirty;
    private boolean open = true;

    PartWriter(S3UploadStore store, S3UploadRecords.Upload upload, int part, byte[] head) {
        this.store = store;
        this.upload = upload;
        this.partSize = upload.partSize();
        this.part = part;
        this.buffer = new byte[(int) Math.min(partSize, Math.max(head.length, 1 << 16))];
        System.arraycopy(head, 0, buffer, 0, head.length);
        this.filled = head.length;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        if (!open) {
            throw new ClosedChannelException();
        }
        int written = 0;
        while (src.hasRemaining()) {
            if (filled == partSize) {
                flush();
            }
            ensureRoom();
            int n = (int) Math.min(src.remaining(), Math.min(buffer.length, partSize) - filled);
            src.get(buffer, filled, n);
            filled += n;
            written += n;
            dirty = true;
        }
        if (filled == partSize) {
            flush();
        }
        return written;
    }

    /** Grows the buffer towards the part size as bytes come, so small uploads take little memory. */
    private void ensureRoom() {
        if (filled == buffer.length && buffer.length < partSize) {
            byte[] bigger = new byte[(int) Math.min(partSize, (long) buffer.length * 2)];
            System.arraycopy(buffer, 0, bigger, 0, filled);
            buffer = bigger;
        }
    }

    private void flush() throws IOException {
        store.putPart(upload, part, buffer, filled);
        dirty = false;
        if (filled == partSize) {
            part++;
            filled = 0;
        }
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() throws IOException {
        if (!open) {
            return;
        }
        open = false;
        if (dirty && filled > 0) {
            flush();
        }
        buffer = null;
    }
}
