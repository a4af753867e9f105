package io.wharf.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.model.Digest;
import io.wharf.core.spi.BlobStoreContract;
import io.wharf.storage.jdbc.JdbcMetadataStore;
import io.wharf.storage.jdbc.SqliteMetadataStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;

/** The blob and upload store contract against S3Proxy, with uploads recorded in SQLite; and the S3 layout. */
class S3BlobStoreTest extends BlobStoreContract {
    @TempDir
    Path dataDir;
    private JdbcMetadataStore meta;
    private S3Storage storage;
    private S3Settings settings;

    @Override
    protected Stores createStores() {
        meta = SqliteMetadataStore.open(dataDir);
        settings = S3ProxyServer.get().settings();
        storage = S3Storage.open(settings, meta.s3Uploads());
        return new Stores(storage.blobs(), storage.uploads());
    }

    @AfterEach
    void close() {
        storage.close();
        meta.close();
    }

    @Test
    void blobsAreContentAddressedObjects() throws IOException {
        upload(bytes("abc")); // FIPS 180-2's known answer, so that the layout is not only checked against itself
        try (S3Client client = S3ProxyServer.get().client()) {
            ResponseBytes<?> stored = client.getObjectAsBytes(b -> b.bucket(settings.bucket())
                    .key("blobs/sha256/ba/ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
            assertThat(stored.asByteArray()).isEqualTo(bytes("abc"));
        }
    }

    /**
     * Several parts, an append at an acknowledged offset inside a part that was already written past (the bytes after
     * it discarded), and a commit of a prefix: the blob is exactly the bytes that count.
     */
    @Test
    void uploadsSpanningPartsAreRewrittenFromAnEarlierOffsetAndCommitted() throws IOException {
        int p = (int) S3Settings.MIN_PART_SIZE;
        byte[] content = new byte[2 * p + 1234];
        new Random(7).nextBytes(content);
        String id = newId();
        uploads.create(id);
        appendBytes(id, 0, Arrays.copyOf(content, p + 100));
        byte[] garbage = new byte[p];
        appendBytes(id, p + 100, garbage); // an unacknowledged chunk that filled part 2 and went on into part 3
        assertThat(uploads.length(id)).isEqualTo(2L * p + 100);
        appendBytes(id, p + 100, Arrays.copyOfRange(content, p + 100, content.length));
        assertThat(uploads.length(id)).isEqualTo(content.length);
        assertThat(read(uploads.read(id))).isEqualTo(content);
        Digest digest = digestOf(content);
        uploads.commit(id, content.length, digest);
        assertThat(readBlob(digest)).isEqualTo(content);
        assertThat(blobs.list(null, 10)).extracting(f -> f.size()).containsExactly((long) content.length);
        try (S3Client client = S3ProxyServer.get().client()) {
            assertThat(client.listObjectsV2(b -> b.bucket(settings.bucket()).prefix("uploads/")).contents()).isEmpty();
        }
    }

    /** Objects too big for one copy request (5 GiB on S3; here 5 MiB) are copied in ranged pieces of one multipart upload. */
    @Test
    void bigObjectsAreCopiedPieceByPiece() throws IOException {
        byte[] content = new byte[(int) (2 * S3Settings.MIN_PART_SIZE) + 999];
        new Random(3).nextBytes(content);
        Digest digest = upload(content);
        try (S3Client client = S3ProxyServer.get().client()) {
            S3Objects objects = new S3Objects(client, settings);
            objects.copy(storage.blobs().keyOf(digest), "copied", content.length, S3Settings.MIN_PART_SIZE,
                    S3Settings.MIN_PART_SIZE);
            assertThat(client.getObjectAsBytes(b -> b.bucket(settings.bucket()).key("copied")).asByteArray())
                    .isEqualTo(content);
        }
    }
}
