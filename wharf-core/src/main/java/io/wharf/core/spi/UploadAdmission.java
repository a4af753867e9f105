package io.wharf.core.spi;

/** Whether {@link UploadIndex#createUpload} opened the session, and why not. Only {@link #OPENED} wrote anything. */
public enum UploadAdmission {
    OPENED,
    /** The owner already holds the maximum of unexpired sessions. */
    OWNER_LIMIT,
    /** The registry already holds the maximum of unexpired sessions. */
    REGISTRY_LIMIT,
    /** The repository no longer exists (deleted concurrently). */
    REPOSITORY_UNKNOWN
}
