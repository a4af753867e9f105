package io.wharf.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.core.model.Digest;
import io.wharf.storage.jdbc.JdbcMetadataStore;
import io.wharf.storage.jdbc.SqliteMetadataStore;
import io.wharf.core.error.StorageUnavailableException;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.SdkHttpRequest;

/** The settings reach the requests: encryption headers on every object written, path-style or virtual-host addressing. */
class S3SettingsTest {
    @TempDir
    Path dataDir;
    private JdbcMetadataStore meta;
    private S3Storage storage;
    private final List<Sent> sent = new CopyOnWriteArrayList<>();

    private record Sent(String operation, SdkHttpRequest request) {
    }

    @AfterEach
    void close() {
        if (storage != null) {
            storage.close();
        }
        if (meta != null) {
            meta.close();
        }
    }

    @Test
    void everyObjectWrittenAsksForTheConfiguredEncryption() throws IOException {
        S3Settings base = S3ProxyServer.get().settings();
        open(withSse(base, S3Settings.Sse.AES256, null));
        byte[] big = new byte[(int) base.partSize() + 10];
        Digest small = store("small".getBytes(StandardCharsets.UTF_8)); // one part: a copy
        store(big); // two parts: a multipart upload of copies
        storage.blobs().quarantine(small); // a copy aside
        for (String op : List.of("PutObject", "CopyObject", "CreateMultipartUpload")) {
            assertThat(sent).filteredOn(s -> s.operation().equals(op)).isNotEmpty()
                    .allSatisfy(s -> assertThat(s.request().firstMatchingHeader("x-amz-server-side-encryption"))
                            .hasValue("AES256"));
        }
    }

    @Test
    void kmsEncryptionNamesItsKey() throws IOException {
        S3Settings base = S3ProxyServer.get().settings();
        open(withSse(base, S3Settings.Sse.KMS, "arn:aws:kms:us-east-1:000000000000:key/test"));
        try {
            store("kms".getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // S3Proxy need not implement KMS: what matters is what was asked for
        }
        assertThat(sent).filteredOn(s -> s.operation().equals("PutObject")).isNotEmpty().allSatisfy(s -> {
            assertThat(s.request().firstMatchingHeader("x-amz-server-side-encryption")).hasValue("aws:kms");
            assertThat(s.request().firstMatchingHeader("x-amz-server-side-encryption-aws-kms-key-id"))
                    .hasValue("arn:aws:kms:us-east-1:000000000000:key/test");
        });
    }

    @Test
    void withoutEncryptionNoHeaderIsSentAndPathStyleNamesTheBucketInThePath() throws IOException {
        S3Settings settings = S3ProxyServer.get().settings();
        open(settings);
        store("plain".getBytes(StandardCharsets.UTF_8));
        assertThat(sent).isNotEmpty().allSatisfy(s -> {
            assertThat(s.request().firstMatchingHeader("x-amz-server-side-encryption")).isEmpty();
            assertThat(s.request().host()).isEqualTo("127.0.0.1");
            assertThat(s.request().encodedPath()).matches("/" + settings.bucket() + "(/.*)?");
        });
    }

    @Test
    void virtualHostAddressingNamesTheBucketInTheHost() {
        S3Settings proxy = S3ProxyServer.get().settings();
        URI endpoint = URI.create("http://localhost:" + proxy.endpoint().getPort());
        open(new S3Settings(proxy.bucket(), "team/", proxy.region(), endpoint, false, proxy.accessKeyId(),
                proxy.secretAccessKey(), S3Settings.Sse.NONE, null, proxy.partSize(), false, proxy.presignTtl()));
        // bucket.localhost need not resolve here: the request as sent is what is checked; an unreachable store is
        // "unavailable" (503 to clients), not an internal error
        assertThatThrownBy(() -> storage.blobs().size(Digest.sha256Of(new byte[0]))).isInstanceOf(StorageUnavailableException.class);
        assertThat(sent).first().satisfies(s -> {
            assertThat(s.request().host()).isEqualTo(proxy.bucket() + ".localhost");
            assertThat(s.request().encodedPath()).startsWith("/team/blobs/sha256/e3/");
        });
    }

    @Test
    void invalidSettingsAreRefusedWithTheirReason() {
        S3Settings ok = S3Settings.of("bucket", "us-east-1");
        assertThatThrownBy(() -> S3Settings.of(" ", "us-east-1")).hasMessageContaining("bucket is required");
        assertThatThrownBy(() -> new S3Settings("b", "", "r", null, false, null, null, null, null, 1L << 20, false,
                ok.presignTtl())).hasMessageContaining("part size");
        assertThatThrownBy(() -> new S3Settings("b", "", "r", null, false, "id", null, null, null, ok.partSize(), false,
                ok.presignTtl())).hasMessageContaining("both");
        assertThatThrownBy(() -> new S3Settings("b", "p", "r", null, false, null, null, null, null, ok.partSize(), false,
                ok.presignTtl())).hasMessageContaining("prefix");
        assertThatThrownBy(() -> new S3Settings("b", "", "r", null, false, null, null, S3Settings.Sse.AES256, "key",
                ok.partSize(), false, ok.presignTtl())).hasMessageContaining("aws:kms");
        assertThatThrownBy(() -> new S3Settings("b", "", "r", null, false, null, null, null, null, ok.partSize(), false,
                Duration.ofDays(8))).hasMessageContaining("7 days");
        assertThatThrownBy(() -> S3Settings.Sse.parse("aes")).hasMessageContaining("none, AES256, aws:kms or aws:kms:dsse");
        assertThat(S3Settings.Sse.parse("aws:kms")).isEqualTo(S3Settings.Sse.KMS);
        assertThat(S3Settings.Sse.parse("aws:kms:dsse")).isEqualTo(S3Settings.Sse.KMS_DSSE);
        assertThat(new S3Settings("b", "", "r", null, false, "id", "secret", null, null, ok.partSize(), false,
                ok.presignTtl()).toString()).doesNotContain("secret");
    }

    private static S3Settings withSse(S3Settings s, S3Settings.Sse sse, String kmsKeyId) {
        return new S3Settings(s.bucket(), s.prefix(), s.region(), s.endpoint(), s.pathStyle(), s.accessKeyId(),
                s.secretAccessKey(), sse, kmsKeyId, s.partSize(), s.redirect(), s.presignTtl());
    }

    private void open(S3Settings settings) {
        meta = SqliteMetadataStore.open(dataDir);
        ExecutionInterceptor capture = new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                sent.add(new Sent(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), context.httpRequest()));
            }
        };
        storage = S3Storage.open(settings, meta.s3Uploads(), List.of(capture), Clock.systemUTC());
    }

    private Digest store(byte[] content) throws IOException {
        String id = java.util.UUID.randomUUID().toString();
        storage.uploads().create(id);
        try (WritableByteChannel out = storage.uploads().append(id, 0)) {
            out.write(ByteBuffer.wrap(content));
        }
        Digest digest = Digest.sha256Of(content);
        storage.uploads().commit(id, content.length, digest);
        return digest;
    }
}
