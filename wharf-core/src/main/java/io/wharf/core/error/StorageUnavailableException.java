package io.wharf.core.error;

/** The storage failed a request (an I/O error, a database that cannot be written); nothing of that write was kept. */
public final class StorageUnavailableException extends RegistryException {
    public StorageUnavailableException(String message, String detail) {
        super(message, detail);
    }
}
