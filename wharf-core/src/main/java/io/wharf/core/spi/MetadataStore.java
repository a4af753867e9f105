package io.wharf.core.spi;

/**
 * The source of truth for everything but blob bytes. Narrow sub-interfaces keep each service's
 * dependency visible; a backend implements them all (SQLite, PostgreSQL, in-memory).
 */
public interface MetadataStore extends RepositoryIndex, BlobIndex, ManifestIndex, TagIndex, UploadIndex,
        ImageIndex, ResourceTagIndex, DocumentIndex, AutoCloseable {

    /** Cheap liveness probe for /readyz. */
    boolean isHealthy();

    @Override
    void close();
}
