package io.wharf.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.core.model.Digest;
import io.wharf.core.model.Encryption;
import io.wharf.core.spi.BlobStore;
import io.wharf.storage.jdbc.JdbcMetadataStore;
import io.wharf.storage.jdbc.SqliteMetadataStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * KMS repositories' objects on S3: written in their domain's folder with their own key, copied between domains
 * server-side, found and deleted by every node. S3Proxy answers NotImplemented to SSE-KMS headers (it has no KMS), so
 * the requests are recorded as the SDK signs them and the two headers are then taken off before they are sent: what
 * S3 would be asked is checked here, S3's encryption itself is not (docs/encryption.md).
 */
class S3DomainsTest {
    private static final String SSE = "x-amz-server-side-encryption";
    private static final String KMS_KEY = "x-amz-server-side-encryption-aws-kms-key-id";
    private static final String KEY_A = "arn:aws:kms:us-east-1:000000000000:key/aaaa";
    private static final String KEY_B = "arn:aws:kms:us-east-1:000000000000:key/bbbb";
    private static final Encryption KMS_A = new Encryption(Encryption.Type.KMS, KEY_A);
    private static final Encryption KMS_B = new Encryption(Encryption.Type.KMS, KEY_B);

    @TempDir
    Path dataDir;
    private JdbcMetadataStore meta;
    private S3Settings settings;
    private final List<S3Storage> opened = new ArrayList<>();
    private final List<Sent> sent = new CopyOnWriteArrayList<>();

    /** A write request as signed: its operation, path, and the encryption it asked for. */
    private record Sent(String operation, String path, String sse, String kmsKey) {
    }

    @BeforeEach
    void open() {
        meta = SqliteMetadataStore.open(dataDir);
        settings = S3ProxyServer.get().settings();
    }

    @AfterEach
    void close() {
        opened.forEach(S3Storage::close);
        meta.close();
    }

    private S3Storage node() {
        ExecutionInterceptor recordAndStrip = new ExecutionInterceptor() {
            @Override
            public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
                SdkHttpRequest r = context.httpRequest();
                sent.add(new Sent(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), r.encodedPath(),
                        r.firstMatchingHeader(SSE).orElse(null), r.firstMatchingHeader(KMS_KEY).orElse(null)));
                return r.toBuilder().removeHeader(SSE).removeHeader(KMS_KEY).build();
            }
        };
        S3Storage s3 = S3Storage.open(settings, meta.s3Uploads(), List.of(recordAndStrip), Clock.systemUTC());
        opened.add(s3);
        return s3;
    }

    @Test
    void aKmsRepositorysUploadIsWrittenInItsDomainUnderItsKey() throws IOException {
        S3Storage s3 = node();
        byte[] content = random((int) settings.partSize() + 1000); // two parts: a multipart upload of copies
        Digest digest = push(s3, KMS_A, content);
        String folder = S3Domain.of(KMS_A).folder();

        assertThat(object("domains/" + folder + "/blobs/sha256/" + digest.hex().substring(0, 2) + "/" + digest.hex()))
                .isEqualTo(content);
        assertThat(s3.blobs().size(digest)).isEmpty(); // no copy in the plain tree
        assertThat(read(s3.domains().blobs(KMS_A), digest)).isEqualTo(content);
        List<Sent> writes = writes();
        assertThat(writes).extracting(Sent::operation).contains("PutObject", "CreateMultipartUpload");
        assertThat(writes).allSatisfy(w -> {
            assertThat(w.sse()).isEqualTo("aws:kms");
            assertThat(w.kmsKey()).isEqualTo(KEY_A);
        });
    }

    @Test
    void unencryptedAndAes256RepositoriesUseThePlainTreeWithTheDeploymentsSetting() throws IOException {
        S3Storage s3 = node();
        Digest plain = push(s3, null, bytes("plain"));
        Digest aes = push(s3, Encryption.AES256, bytes("aes"));
        assertThat(s3.blobs().size(plain)).hasValue(5);
        assertThat(s3.blobs().size(aes)).hasValue(3);
        assertThat(s3.domains().blobs(Encryption.AES256)).isSameAs(s3.domains().blobs(null));
        assertThat(writes()).isNotEmpty().allSatisfy(w -> assertThat(w.sse()).isNull());
    }

    @Test
    void aBlobReadInAnotherDomainIsCopiedThereServerSideWithThatDomainsKey() throws IOException {
        S3Storage s3 = node();
        byte[] content = bytes("shared layer");
        Digest digest = push(s3, null, content); // pushed into a plain repository, then mounted into KMS ones
        sent.clear();

        assertThat(s3.domains().blobs(KMS_B).size(digest)).hasValue(content.length);
        assertThat(writes()).filteredOn(w -> w.operation().equals("CopyObject")).singleElement()
                .satisfies(w -> {
                    assertThat(w.path()).contains("/domains/" + S3Domain.of(KMS_B).folder() + "/blobs/");
                    assertThat(w.sse()).isEqualTo("aws:kms");
                    assertThat(w.kmsKey()).isEqualTo(KEY_B);
                });
        assertThat(read(s3.domains().blobs(KMS_A), digest)).isEqualTo(content); // from B's copy or the plain one
        assertThat(s3.blobs().size(digest)).hasValue(content.length);
        sent.clear();
        assertThat(read(s3.domains().blobs(KMS_B), digest)).isEqualTo(content);
        assertThat(writes()).isEmpty(); // copied once
    }

    @Test
    void aPlainRepositoryReadingABlobOnlyAKmsDomainHoldsGetsAPlainCopy() throws IOException {
        S3Storage s3 = node();
        byte[] content = bytes("only encrypted");
        Digest digest = push(s3, KMS_A, content);
        sent.clear();
        assertThat(read(s3.domains().blobs(null), digest)).isEqualTo(content);
        assertThat(writes()).filteredOn(w -> w.operation().equals("CopyObject")).singleElement()
                .satisfies(w -> assertThat(w.sse()).isNull());
    }

    @Test
    void everyNodeFindsEveryDomainAndDeletesReachEveryCopy() throws IOException {
        S3Storage first = node();
        byte[] content = bytes("in two domains");
        Digest digest = push(first, KMS_A, content);
        first.domains().blobs(KMS_B).size(digest); // B's copy
        Digest other = push(first, null, bytes("plain one"));

        S3Storage second = node(); // another node: it learns the domains from the bucket
        BlobStore any = second.domains().anyDomain();
        assertThat(any.size(digest)).hasValue(content.length);
        assertThat(any.list(null, 10)).extracting(BlobStore.BlobFile::digest).containsExactlyInAnyOrder(digest, other);
        sent.clear();
        any.quarantine(digest); // a copy aside in each domain, written with that domain's key
        assertThat(writes()).filteredOn(w -> w.operation().equals("CopyObject")).extracting(Sent::kmsKey)
                .containsExactlyInAnyOrder(KEY_A, KEY_B);
        assertThat(any.size(digest)).isEmpty();

        Digest again = push(first, KMS_A, content);
        first.domains().blobs(KMS_B).size(again);
        any.delete(again);
        assertThat(first.domains().blobs(KMS_A).size(again)).isEmpty();
        assertThat(first.domains().blobs(KMS_B).size(again)).isEmpty();
        assertThat(any.size(other)).hasValue(9);
    }

    @Test
    void dualLayerKmsAndTheDefaultKeyAreDomainsOfTheirOwn() throws IOException {
        S3Storage s3 = node();
        Encryption dsse = new Encryption(Encryption.Type.KMS_DSSE, KEY_A);
        Encryption defaultKey = new Encryption(Encryption.Type.KMS, null);
        push(s3, dsse, bytes("dsse"));
        push(s3, defaultKey, bytes("default key"));
        assertThat(writes()).filteredOn(w -> w.path().contains("/" + S3Domain.of(dsse).folder() + "/"))
                .isNotEmpty().allSatisfy(w -> assertThat(w.sse()).isEqualTo("aws:kms:dsse"));
        assertThat(writes()).filteredOn(w -> w.path().contains("/kms-default/")).isNotEmpty()
                .allSatisfy(w -> assertThat(w.kmsKey()).isNull());
        assertThat(S3Domain.of(dsse).folder()).startsWith("dsse-").isNotEqualTo(S3Domain.of(KMS_A).folder());
    }

    @Test
    void domainsAreNamedByAHashOfTheirKeyAndDescribeThemselves() {
        S3Domain a = S3Domain.of(KMS_A);
        assertThat(a.folder()).matches("kms-[0-9a-f]{32}").isNotEqualTo(S3Domain.of(KMS_B).folder());
        assertThat(S3Domain.parse(a.describe())).isEqualTo(a);
        assertThat(S3Domain.of(new Encryption(Encryption.Type.KMS, " "))).isEqualTo(new S3Domain(S3Settings.Sse.KMS, null));
        assertThat(S3Domain.of(null)).isNull();
        assertThatThrownBy(() -> S3Domain.parse("garbage")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new S3Domain(S3Settings.Sse.AES256, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new S3Domain(S3Settings.Sse.KMS, "k".repeat(2049))).isInstanceOf(IllegalArgumentException.class);
    }

    /** The write requests sent: objects put, copied, or begun as multipart uploads. */
    private List<Sent> writes() {
        return sent.stream().filter(s -> List.of("PutObject", "CopyObject", "CreateMultipartUpload").contains(s.operation()))
                .toList();
    }

    private static Digest push(S3Storage s3, Encryption encryption, byte[] content) throws IOException {
        String id = UUID.randomUUID().toString();
        s3.domains().createUpload(id, encryption);
        try (WritableByteChannel out = s3.uploads().append(id, 0)) {
            out.write(ByteBuffer.wrap(content));
        }
        Digest digest = Digest.sha256Of(content);
        s3.uploads().commit(id, content.length, digest);
        return digest;
    }

    private static byte[] read(BlobStore store, Digest digest) throws IOException {
        try (SeekableByteChannel in = store.open(digest)) {
            ByteBuffer buf = ByteBuffer.allocate((int) in.size());
            while (buf.hasRemaining() && in.read(buf) >= 0) {
                // until full
            }
            return buf.array();
        }
    }

    private byte[] object(String key) {
        try (S3Client client = S3ProxyServer.get().client()) {
            return client.getObjectAsBytes(b -> b.bucket(settings.bucket()).key(key)).asByteArray();
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(11).nextBytes(b);
        return b;
    }
}
