package io.wharf.storage.jdbc;

import java.sql.SQLException;

/** A database failure: not the client's fault, so the server answers it with a 5xx. */
public final class MetadataStoreException extends RuntimeException {

    public MetadataStoreException(String message, SQLException cause) {
        super(message + ": " + cause.getMessage(), cause);
    }
}
