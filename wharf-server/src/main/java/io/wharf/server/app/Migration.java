package io.wharf.server.app;

import io.wharf.core.model.Digest;
import io.wharf.core.spi.BlobStore;
import io.wharf.core.spi.StoredBlob;
import io.wharf.core.spi.UploadStore;
import io.wharf.core.identity.IdentityNames;
import io.wharf.server.auth.AuthSetup;
import io.wharf.server.auth.StoredUpstreamSecrets;
import io.wharf.server.config.ConfigException;
import io.wharf.server.config.WharfConfig;
import io.wharf.storage.fs.FileSystemBlobStore;
import io.wharf.storage.jdbc.JdbcMetadataStore;
import io.wharf.storage.jdbc.PostgresImport;
import io.wharf.storage.jdbc.SqliteMetadataStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code wharf migrate}: moves a single-node data directory (SQLite + blob files) into the storage a cluster
 * configuration names. Blobs first, through the target's {@link UploadStore} (so any blob store works), each
 * verified by digest as it is read and again as stored; then the metadata in one transaction. A failure before
 * the metadata commits leaves the target database empty: running again starts over, skipping blobs already
 * stored intact. A target database with rows is refused.
 */
public final class Migration {
    private static final int PAGE = 1000;
    private static final int BUFFER = 1 << 20;

    /** What was moved: rows per table, blobs copied and bytes, blobs the target already held intact. */
    public record Report(Map<String, Long> rows, long blobsCopied, long bytesCopied, long blobsAlreadyThere) {
    }

    /** A migration refused or failed for a reason the operator can act on. */
    public static final class MigrationException extends RuntimeException {
        public MigrationException(String message) {
            super(message);
        }
    }

    private final Path source;
    private final WharfConfig target;
    private final PrintWriter progress;

    public Migration(Path sourceData, WharfConfig target, PrintWriter progress) {
        this.source = sourceData.toAbsolutePath().normalize();
        this.target = target;
        this.progress = progress;
    }

    /** Runs it; the source's server must be stopped (its data-directory lock is taken for the whole run). */
    public Report run() throws IOException {
        if (!target.storage().shared()) {
            throw new ConfigException("the target configuration must name a shared database (storage.metadata: postgres)");
        }
        if (!Files.isRegularFile(source.resolve(SqliteMetadataStore.FILE_NAME))) {
            throw new MigrationException("no Wharf data directory at " + source);
        }
        try (JdbcMetadataStore from = SqliteMetadataStore.openExclusive(source);
             Storage to = Storage.open(target, Storage.Access.TOOL)) {
            String busy = PostgresImport.firstNonEmptyTable(to.metadata());
            if (busy != null) {
                throw new MigrationException("the target database is not empty (table " + busy + " has rows): migrate "
                        + "into a new, empty database, before any node has started on it");
            }
            long[] blobs = copyBlobs(from, new FileSystemBlobStore(source), to);
            Secrets secrets = new Secrets(source, target);
            PostgresImport.Result result = PostgresImport.copy(from, to.metadata(), secrets::reseal);
            secrets.copyTokenKey(to.metadata());
            progress.println("metadata: " + result.rows());
            progress.flush();
            return new Report(result.rows(), blobs[0], blobs[1], blobs[2]);
        }
    }

    /** Every blob the source's metadata records; fails, before any metadata is written, on a missing or bad one. */
    private long[] copyBlobs(JdbcMetadataStore from, BlobStore sourceBlobs, Storage to) throws IOException {
        long copied = 0;
        long bytes = 0;
        long present = 0;
        List<String> bad = new ArrayList<>();
        Digest after = null;
        for (List<StoredBlob> page = from.listBlobs(null, PAGE); !page.isEmpty(); page = from.listBlobs(after, PAGE)) {
            for (StoredBlob blob : page) {
                if (intact(to.blobs(), blob.digest(), blob.size())) {
                    present++;
                } else if (copyBlob(sourceBlobs, to.uploads(), blob, bad)) {
                    if (!intact(to.blobs(), blob.digest(), blob.size())) {
                        throw new MigrationException("blob " + blob.digest() + " does not read back intact from the target");
                    }
                    copied++;
                    bytes += blob.size();
                }
            }
            after = page.getLast().digest();
            progress.println("blobs: " + (copied + present) + " done (" + copied + " copied, " + present
                    + " already there)");
            progress.flush();
        }
        if (!bad.isEmpty()) {
            throw new MigrationException(bad.size() + " blobs of the source are missing or damaged, e.g. "
                    + bad.subList(0, Math.min(5, bad.size())) + "; run `wharf fsck --repair` on it first");
        }
        return new long[] {copied, bytes, present};
    }

    /** Streams the source's bytes into a target upload, hashing them; commits only what has the right digest. */
    private static boolean copyBlob(BlobStore from, UploadStore to, StoredBlob blob, List<String> bad) throws IOException {
        if (from.size(blob.digest()).orElse(-1) != blob.size()) {
            bad.add(blob.digest().toString());
            return false;
        }
        String upload = "migrate-" + UUID.randomUUID();
        to.create(upload);
        try {
            MessageDigest hash = blob.digest().newMessageDigest();
            try (ReadableByteChannel in = from.open(blob.digest()); WritableByteChannel out = to.append(upload, 0)) {
                pump(in, out, hash);
            }
            if (!blob.digest().hex().equals(HexFormat.of().formatHex(hash.digest()))) {
                bad.add(blob.digest().toString());
                to.delete(upload);
                return false;
            }
            to.commit(upload, blob.size(), blob.digest());
            return true;
        } catch (IOException | RuntimeException e) {
            to.delete(upload);
            throw e;
        }
    }

    /** Whether {@code store} holds the blob with its size and its digest's bytes. */
    private static boolean intact(BlobStore store, Digest digest, long size) throws IOException {
        if (store.size(digest).orElse(-1) != size) {
            return false;
        }
        MessageDigest hash = digest.newMessageDigest();
        try (ReadableByteChannel in = store.open(digest)) {
            pump(in, null, hash);
        }
        return digest.hex().equals(HexFormat.of().formatHex(hash.digest()));
    }

    private static void pump(ReadableByteChannel in, WritableByteChannel out, MessageDigest hash) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
        while (in.read(buffer) >= 0) {
            buffer.flip();
            hash.update(buffer.duplicate());
            while (out != null && buffer.hasRemaining()) {
                out.write(buffer);
            }
            buffer.clear();
        }
    }

    /** Secrets sealed with the source's key file are sealed again with the target's configured key. */
    private static final class Secrets {
        private final Path source;
        private final WharfConfig target;
        private AuthSetup.Resealer resealer;

        Secrets(Path source, WharfConfig target) {
            this.source = source;
            this.target = target;
        }

        void reseal(String table, Map<String, Object> row) {
            if (table.equals("iam_access_key")) {
                row.put("secret", resealer().reseal((String) row.get("id"), (byte[]) row.get("secret")));
            }
            if (table.equals("iam_mfa_device")) { // sealed as JdbcIdentityStore does: bound to the device's serial number
                String keyId = IdentityNames.mfaArn((String) row.get("account"), (String) row.get("user_name"));
                row.put("secret", resealer().reseal(keyId, (byte[]) row.get("secret")));
            }
            if (table.equals("account_secret")) {
                String keyId = StoredUpstreamSecrets.keyId((String) row.get("account"), (String) row.get("name"));
                row.put("sealed", resealer().reseal(keyId, (byte[]) row.get("sealed")));
            }
        }

        /** Registry tokens the source issued stay valid: its signing key becomes the cluster's. */
        void copyTokenKey(JdbcMetadataStore to) {
            resealer().copyTokenKey(to);
        }

        private AuthSetup.Resealer resealer() {
            if (resealer == null) {
                try {
                    resealer = AuthSetup.resealer(source, target);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            return resealer;
        }
    }
}
