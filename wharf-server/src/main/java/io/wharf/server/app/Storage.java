package io.wharf.server.app;

import io.wharf.core.service.LocalBlobLocks;
import io.wharf.core.service.LocalUploadLocks;
import io.wharf.core.spi.BlobLocks;
import io.wharf.core.spi.BlobStore;
import io.wharf.core.spi.EncryptionDomains;
import io.wharf.server.auth.KeyFiles;
import io.wharf.storage.crypto.EncryptionKeys;
import io.wharf.storage.crypto.ManifestSealing;
import io.wharf.storage.fs.EncryptedStores;
import java.security.SecureRandom;
import io.wharf.core.spi.UploadLocks;
import io.wharf.core.spi.UploadStore;
import io.wharf.server.config.WharfConfig;
import io.wharf.storage.fs.FileSystemBlobStore;
import io.wharf.storage.fs.FileSystemUploadStore;
import io.wharf.storage.jdbc.JdbcMetadataStore;
import io.wharf.storage.jdbc.PostgresLocks;
import io.wharf.storage.jdbc.PostgresMetadataStore;
import io.wharf.storage.jdbc.SqliteMetadataStore;
import io.wharf.storage.s3.S3Storage;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;

/**
 * The storage a configuration names, opened: metadata, blobs, uploads and the locks between them. The one place
 * that knows which backend {@code storage.*} selects; the server and every command open storage through it.
 * Closing it closes the metadata store (blob stores hold nothing open).
 *
 * @param metadata  SQLite in the data directory, or a PostgreSQL database shared by every node
 * @param blobs     where blob content lives
 * @param uploads   uploads in progress, beside the blobs (on the filesystem, those of every encryption domain)
 * @param domains   which store each repository's blobs live in by its encryption setting (docs/encryption.md)
 * @param blobLocks between an upload putting a blob in place and the garbage collector deleting it
 * @param uploadLocks between the steps of one upload, which any node may continue
 * @param soleUser  whether this process is the only one using the metadata (the SQLite server holding the data
 *                  directory's lock): only then may it break leases it finds held, since their owners are dead
 * @param opened    what else was opened for them (the S3 client, the lock connections), closed with the metadata
 */
public record Storage(JdbcMetadataStore metadata, BlobStore blobs, UploadStore uploads, BlobLocks blobLocks,
                      UploadLocks uploadLocks, boolean soleUser, List<AutoCloseable> opened, EncryptionDomains domains)
        implements AutoCloseable {

    /** Master key file in {@code <data>/keys/} when {@code encryption.master-key} is not set. */
    public static final String MASTER_KEY_FILE = "encryption-master-key";

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
                        : PostgresMetadataStore.open(pg.url(), pg.user(), pg.password(), pg.poolSize(),
                                pg.connectionTimeout());
            }
        };
    }

    /** The blob side: the data directory, or (storage.blobs=s3) a bucket whose uploads are recorded in the metadata. */
    private static Storage withBlobs(WharfConfig config, JdbcMetadataStore metadata, boolean soleUser)
            throws IOException {
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            BlobLocks locks = blobLocks(config, opened);
            if (config.blobs().kind() == WharfConfig.BlobBackend.S3) {
                S3Storage s3 = S3Storage.open(config.s3(), metadata.s3Uploads());
                opened.add(s3);
                return new Storage(metadata, s3.blobs(), s3.uploads(), locks, uploadLocks(locks), soleUser, opened,
                        s3.domains());
            }
            FileSystemBlobStore blobs = new FileSystemBlobStore(config.data());
            EncryptionKeys keys = keys(config);
            EncryptedStores domains = new EncryptedStores(blobs, new FileSystemUploadStore(blobs), keys,
                    config.blobs().atRest().encryptAes256());
            metadata.sealManifests(new ManifestSealing(keys, domains::domainOf));
            return new Storage(metadata, blobs, domains, locks, uploadLocks(locks), soleUser, opened, domains);
        } catch (IOException | RuntimeException e) {
            closeAll(opened); // the lock connections opened before the bucket failed
            throw e;
        }
    }

    /** Wharf's key store for encryption at rest, sealed by the configured master key or the one in {@code <data>/keys/}. */
    public static EncryptionKeys keys(WharfConfig config) throws IOException {
        return new EncryptionKeys(config.data().resolve(KeyFiles.DIRECTORY), masterKey(config));
    }

    /** The key sealing Wharf's key store: {@code encryption.master-key}, else the one in {@code <data>/keys/}. */
    public static byte[] masterKey(WharfConfig config) throws IOException {
        byte[] master = config.blobs().atRest().masterKey().map(WharfConfig.SealingKey::bytes).orElse(null);
        return master != null ? master : KeyFiles.loadOrCreate(config.data(), MASTER_KEY_FILE, 32, new SecureRandom());
    }

    /** Nodes sharing the metadata share the blobs too: their locks are the database's (advisory locks). */
    private static BlobLocks blobLocks(WharfConfig config, List<AutoCloseable> opened) {
        if (!config.storage().shared()) {
            return new LocalBlobLocks();
        }
        WharfConfig.Postgres pg = config.storage().postgres().orElseThrow();
        PostgresLocks locks = PostgresLocks.open(pg.url(), pg.user(), pg.password(), PostgresLocks.DEFAULT_POOL_SIZE);
        opened.add(locks);
        return locks;
    }

    /** The database's advisory locks when the nodes share one (UploadService takes each upload's lock once per thread). */
    private static UploadLocks uploadLocks(BlobLocks locks) {
        return locks instanceof PostgresLocks shared ? shared : new LocalUploadLocks();
    }

    /** Whether {@code config} names existing metadata a command can work on; false only for a missing SQLite file. */
    public static boolean exists(WharfConfig config) {
        return config.storage().shared() || Files.isRegularFile(config.data().resolve(SqliteMetadataStore.FILE_NAME));
    }

    @Override
    public void close() {
        closeAll(opened);
        metadata.close();
    }

    private static void closeAll(List<AutoCloseable> opened) {
        for (AutoCloseable c : opened) {
            try {
                c.close();
            } catch (Exception e) {
                // closing on the way out: nothing useful to do with a failure
            }
        }
    }
}
