package io.wharf.server.app;

import io.wharf.core.service.LocalBlobLocks;
import io.wharf.core.spi.BlobLocks;
import io.wharf.core.spi.BlobStore;
import io.wharf.core.spi.UploadStore;
import io.wharf.server.config.WharfConfig;
import io.wharf.storage.fs.FileSystemBlobStore;
import io.wharf.storage.fs.FileSystemUploadStore;
import io.wharf.storage.jdbc.JdbcMetadataStore;
import io.wharf.storage.jdbc.PostgresMetadataStore;
import io.wharf.storage.jdbc.SqliteMetadataStore;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;

/**
 * The storage a configuration names, opened: metadata, blobs, uploads and the locks between them. The one place
 * that knows which backend {@code storage.*} selects; the server and every command open storage through it.
 * Closing it closes the metadata store (blob stores hold nothing open).
 *
 * @param metadata  SQLite in the data directory, or a PostgreSQL database shared by every node
 * @param blobs     where blob content lives
 * @param uploads   uploads in progress, beside the blobs
 * @param blobLocks between an upload putting a blob in place and the garbage collector deleting it
 * @param soleUser  whether this process is the only one using the metadata (the SQLite server holding the data
 *                  directory's lock): only then may it break leases it finds held, since their owners are dead
 */
public record Storage(JdbcMetadataStore metadata, BlobStore blobs, UploadStore uploads, BlobLocks blobLocks,
                      boolean soleUser) implements AutoCloseable {

    /** How the metadata is opened: by the server, by a tool beside it, or read-only by an inspecting tool. */
    public enum Access {
        /** SQLite: holds the data directory's lock ({@link FileSystemException} {@code IN_USE} when a server has it). */
        SERVER,
        /** SQLite: no lock, migrates if needed, may write ({@code wharf iam}, {@code wharf jobs run} beside a server). */
        TOOL,
        /** SQLite: read-only connections, no migration ({@code wharf usage}, {@code wharf gc --dry-run}). */
        READ_ONLY
    }

    /**
     * Opens what {@code config.storage()} names. The data directory is created (each node keeps its temporary and
     * log files there even when nothing else is local).
     *
     * @throws FileSystemException for {@link Access#SERVER} on SQLite when another server holds the data directory
     * @throws NoSuchFileException for {@link Access#READ_ONLY} on SQLite when the data directory holds no database
     */
    public static Storage open(WharfConfig config, Access access) throws IOException {
        Files.createDirectories(config.data());
        JdbcMetadataStore metadata = metadata(config, access);
        try {
            return withBlobs(config, metadata, access == Access.SERVER && !config.storage().shared());
        } catch (IOException | RuntimeException e) {
            metadata.close();
            throw e;
        }
    }

    private static JdbcMetadataStore metadata(WharfConfig config, Access access) throws IOException {
        return switch (config.storage().metadata()) {
            case SQLITE -> switch (access) {
                case SERVER -> SqliteMetadataStore.openExclusive(config.data());
                case TOOL -> SqliteMetadataStore.open(config.data());
                case READ_ONLY -> SqliteMetadataStore.openReadOnly(config.data());
            };
            case POSTGRES -> {
                WharfConfig.Postgres pg = config.storage().postgres().orElseThrow();
                yield access == Access.READ_ONLY
                        ? PostgresMetadataStore.openReadOnly(pg.url(), pg.user(), pg.password(), pg.poolSize())
                        : PostgresMetadataStore.open(pg.url(), pg.user(), pg.password(), pg.poolSize());
            }
        };
    }

    /** The blob side. Cluster mode's object store is wired in here (storage.blobs=s3). */
    private static Storage withBlobs(WharfConfig config, JdbcMetadataStore metadata, boolean soleUser)
            throws IOException {
        // TODO(lead): storage.blobs=s3 -> S3Storage.open(config.s3()) gives the blob and upload stores
        FileSystemBlobStore blobs = new FileSystemBlobStore(config.data());
        FileSystemUploadStore uploads = new FileSystemUploadStore(blobs);
        return new Storage(metadata, blobs, uploads, blobLocks(config), soleUser);
    }

    private static BlobLocks blobLocks(WharfConfig config) {
        // TODO(lead): PostgresLocks (advisory locks) when config.storage().shared(): nodes share blobs
        return new LocalBlobLocks();
    }

    /** Whether {@code config} names existing metadata a command can work on; false only for a missing SQLite file. */
    public static boolean exists(WharfConfig config) {
        return config.storage().shared() || Files.isRegularFile(config.data().resolve(SqliteMetadataStore.FILE_NAME));
    }

    @Override
    public void close() {
        metadata.close();
    }
}
