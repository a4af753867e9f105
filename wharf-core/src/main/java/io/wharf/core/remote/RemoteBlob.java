package io.wharf.core.remote;

import java.io.IOException;
import java.io.InputStream;

/**
 * A blob being downloaded from a remote registry: {@code size} as announced (-1 when unknown). The reader
 * verifies the digest; closing releases the connection.
 */
public record RemoteBlob(long size, InputStream content) implements AutoCloseable {
    @Override
    public void close() throws IOException {
        content.close();
    }
}
