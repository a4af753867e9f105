package io.wharf.core.spi;

import java.io.IOException;

/**
 * A store holds the blob but its bytes fail the store's own check (an encrypted copy that does not authenticate):
 * damage, to be set aside like a file of the wrong size, not an outage.
 */
public class BlobCorruptException extends IOException {
    public BlobCorruptException(String message, Throwable cause) {
        super(message, cause);
    }
}
