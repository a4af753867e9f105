package io.wharf.core.error;

/** The storage (disk or database) has no space left for a write; nothing of that write was kept. */
public final class StorageFullException extends RegistryException {
    public StorageFullException(String message, String detail) {
        super(message, detail);
    }
}
