package io.wharf.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.model.Digest;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.service.BodySource;
import io.wharf.core.service.Quotas;
import io.wharf.core.service.Registry;
import io.wharf.core.service.RegistryLimits;
import io.wharf.core.service.RepoKey;
import io.wharf.core.service.UploadStatus;
import io.wharf.storage.s3.S3ProxyServer;
import io.wharf.storage.s3.S3Settings;
import io.wharf.storage.s3.S3Storage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Two nodes sharing only a PostgreSQL database and an S3 bucket (each with its own connection pool, S3 client and
 * in-memory state): an upload started on one continues and completes on the other, which restores the running hash
 * from the database instead of reading the bytes the first node stored.
 */
class S3UploadsAcrossNodesTest {
    private static final String OWNER = "arn:aws:iam::000000000000:root";
    private final RepoKey repo = new RepoKey("000000000000", RepositoryName.parse("nodes/app"));
    private final List<AutoCloseable> opened = new CopyOnWriteArrayList<>();
    private final List<String> requestsOfB = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : opened.reversed()) {
            c.close();
        }
    }

    @Test
    void anUploadStartedOnOneNodeIsContinuedAndCompletedOnAnother() throws IOException {
        String url = PostgresServer.get().createDatabase();
        S3Settings settings = S3ProxyServer.get().settings();
        Registry a = node(url, settings, List.of());
        Registry b = node(url, settings, List.of(new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                requestsOfB.add(context.httpRequest().method() + " " + context.httpRequest().encodedPath());
            }
        }));
        int p = (int) settings.partSize();
        byte[] content = new byte[2 * p + 777];
        new Random(11).nextBytes(content);

        UploadStatus s = a.uploads().start(repo, OWNER);
        a.uploads().append(repo, s.uploadId(), 0L, p + 101L, BodySource.of(Arrays.copyOf(content, p + 101)));
        UploadStatus onB = b.uploads().append(repo, s.uploadId(), p + 101L, (long) p,
                BodySource.of(Arrays.copyOfRange(content, p + 101, 2 * p + 101)));
        assertThat(onB.offset()).isEqualTo(2L * p + 101);
        Digest digest = Digest.sha256Of(content);
        assertThat(b.uploads().complete(repo, s.uploadId(), digest, 2L * p + 101, 676L,
                BodySource.of(Arrays.copyOfRange(content, 2 * p + 101, content.length)))).isEqualTo(digest);

        assertThat(a.blobs().stat(repo, digest)).isEqualTo(content.length);
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        try (var in = Channels.newInputStream(a.blobs().open(repo, digest))) {
            in.transferTo(read);
        }
        assertThat(read.toByteArray()).isEqualTo(content);
        // B read back only the start of the part it went on writing, never the first part A had stored
        assertThat(requestsOfB).noneMatch(r -> r.startsWith("GET") && r.endsWith("/00001"));
        assertThat(requestsOfB).anyMatch(r -> r.startsWith("GET") && r.endsWith("/00002"));
    }

    private Registry node(String url, S3Settings settings, List<ExecutionInterceptor> interceptors) {
        JdbcMetadataStore meta = PostgresServer.get().openStore(url);
        opened.add(meta);
        S3Storage storage = S3Storage.open(settings, meta.s3Uploads(), interceptors, Clock.systemUTC());
        opened.add(storage);
        PostgresLocks locks = PostgresLocks.open(url, PostgresServer.USER, null, 4);
        opened.add(locks);
        // the nodes' locks are the database's, as in a cluster: the upload service saves the hash state for the next
        return new Registry(meta, storage.blobs(), storage.uploads(), RegistryLimits.defaults(), Quotas.defaults(), true,
                Clock.systemUTC(), damage -> { }, locks, locks);
    }
}
