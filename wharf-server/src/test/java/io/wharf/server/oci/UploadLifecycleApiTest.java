package io.wharf.server.oci;

import static io.wharf.server.oci.Fixtures.digest;
import static io.wharf.server.oci.Fixtures.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.model.Digest;
import io.wharf.core.service.RegistryLimits;
import io.wharf.core.service.UploadLimits;
import io.wharf.core.testing.ManualClock;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Abandoned, trickling and capped uploads over real HTTP, SQLite and files, with a hand-moved clock:
 * idle timeout 1 h, lifetime 6 h, at most 3 open sessions per caller (all requests here are the root).
 */
class UploadLifecycleApiTest {
    private final ManualClock clock = new ManualClock(Instant.now()); // file times are real: start from now
    private TestRegistry r;

    private TestRegistry registry(int maxOpenPerOwner) throws Exception {
        RegistryLimits limits = RegistryLimits.defaults()
                .withUploads(new UploadLimits(Duration.ofHours(6), maxOpenPerOwner, 10_000));
        r = new TestRegistry(limits, clock);
        return r;
    }

    @AfterEach
    void close() throws Exception {
        r.close();
    }

    @Test
    void everyExpiredSessionIsSweptWithItsBytesNotJustOneBatch() throws Exception {
        registry(2_000);
        for (int i = 0; i < 1_500; i++) {
            String location = start("abandoned");
            if (i % 100 == 0) {
                assertThat(r.send("PATCH", location, randomBytes(10)).statusCode()).isEqualTo(202);
            }
        }
        assertThat(uploadFiles()).hasSize(1_500);
        clock.advance(Duration.ofHours(1).plusSeconds(1));

        assertThat(r.registry.uploadSweeper().sweep()).isEqualTo(1_500);

        assertThat(uploadFiles()).isEmpty();
        assertThat(r.registry.metadata().expiredUploads(clock.instant().plus(Duration.ofDays(365)), 10)).isEmpty();
    }

    @Test
    void overTheCapIsTooManyRequestsUntilASessionIsCancelledOrExpires() throws Exception {
        registry(3);
        String first = start("capped");
        start("capped");
        start("capped");
        assertError(r.send("POST", "/v2/capped/blobs/uploads/", null), 429, "TOOMANYREQUESTS");
        byte[] blob = randomBytes(100);
        assertError(r.send("POST", "/v2/capped/blobs/uploads/?digest=" + digest(blob), blob), 429, "TOOMANYREQUESTS");

        assertThat(r.send("DELETE", first, null).statusCode()).isEqualTo(204);
        start("capped");
        assertError(r.send("POST", "/v2/other/blobs/uploads/", null), 429, "TOOMANYREQUESTS"); // per caller, not per repository

        clock.advance(Duration.ofHours(1).plusSeconds(1)); // all expired, not yet swept: they no longer count
        start("capped");
        assertThat(r.send("POST", "/v2/capped/blobs/uploads/?digest=" + digest(blob), blob).statusCode()).isEqualTo(201);
    }

    @Test
    void aTricklingUploadEndsAtItsMaximumLifetimeAndItsBytesAreFreed() throws Exception {
        registry(3);
        String location = start("trickle");
        // one byte every 50 minutes: never idle for the 1 h timeout
        for (int i = 0; i < 7; i++) {
            HttpResponse<byte[]> patch = r.send("PATCH", location, new byte[] {(byte) i},
                    "Content-Range", i + "-" + i, "Content-Type", "application/octet-stream");
            assertThat(patch.statusCode()).isEqualTo(202);
            clock.advance(Duration.ofMinutes(50));
        }
        clock.advance(Duration.ofMinutes(10)); // 6 h after the start
        assertError(r.send("PATCH", location, new byte[] {7}, "Content-Range", "7-7",
                "Content-Type", "application/octet-stream"), 404, "BLOB_UPLOAD_UNKNOWN");
        assertThat(uploadFiles()).isEmpty();
    }

    @Test
    void anExpiredSessionFoundByAClientFreesItsBytesAtOnce() throws Exception {
        registry(3);
        String location = start("late");
        r.send("PATCH", location, randomBytes(1000));
        clock.advance(Duration.ofHours(1).plusSeconds(1));
        assertError(r.get(location), 404, "BLOB_UPLOAD_UNKNOWN");
        assertThat(uploadFiles()).isEmpty();
    }

    /** Before sessions for monolithic uploads, the sweep deleted the bytes of this upload while it ran. */
    @Test
    void aSlowMonolithicUploadLongerThanTheTimeoutSurvivesSweepsAndCompletes() throws Exception {
        registry(3);
        byte[] blob = randomBytes(300_000);
        try (SlowPost post = new SlowPost(r.port, "/v2/slow/blobs/uploads/?digest=" + digest(blob), blob)) {
            post.sendUpTo(100_000);
            awaitUploadFileSize(100_000);
            r.registry.uploadSweeper().sweep();
            clock.advance(Duration.ofMinutes(50));
            post.sendUpTo(200_000);
            awaitUploadFileSize(200_000);
            clock.advance(Duration.ofMinutes(50)); // 100 minutes since the start, 50 since the last bytes
            r.registry.uploadSweeper().sweep();
            assertThat(uploadFiles()).hasSize(1);

            assertThat(post.finish()).startsWith("HTTP/1.1 201 ");
        }
        assertThat(r.get("/v2/slow/blobs/" + digest(blob)).body()).isEqualTo(blob);
        assertThat(uploadFiles()).isEmpty();
        assertThat(r.registry.metadata().expiredUploads(clock.instant().plus(Duration.ofDays(365)), 10)).isEmpty();
    }

    @Test
    void aMonolithicUploadStalledForTheTimeoutIsSweptAndFails() throws Exception {
        registry(3);
        byte[] blob = randomBytes(300_000);
        try (SlowPost post = new SlowPost(r.port, "/v2/stalled/blobs/uploads/?digest=" + digest(blob), blob)) {
            post.sendUpTo(100_000);
            awaitUploadFileSize(100_000);
            clock.advance(Duration.ofHours(1).plusSeconds(1));
            assertThat(r.registry.uploadSweeper().sweep()).isEqualTo(1);
            assertThat(uploadFiles()).isEmpty();
            assertThat(post.finish()).startsWith("HTTP/1.1 404 ").contains("\"code\":\"BLOB_UPLOAD_UNKNOWN\"");
        }
        assertThat(r.head("/v2/stalled/blobs/" + digest(blob)).statusCode()).isEqualTo(404);
        start("stalled"); // its session no longer counts against the cap
        start("stalled");
        start("stalled");
    }

    @Test
    void deletingTheRepositoryDuringAMonolithicUploadIsNameUnknownAndLeavesNoFileWithoutARow() throws Exception {
        registry(3);
        byte[] blob = randomBytes(300_000);
        try (SlowPost post = new SlowPost(r.port, "/v2/doomed/blobs/uploads/?digest=" + digest(blob), blob)) {
            post.sendUpTo(100_000);
            awaitUploadFileSize(100_000);
            HttpResponse<byte[]> deleted = r.send("POST", "/", "{\"repositoryName\":\"doomed\",\"force\":true}"
                            .getBytes(StandardCharsets.UTF_8), "Content-Type", "application/x-amz-json-1.1",
                    "X-Amz-Target", "AmazonEC2ContainerRegistry_V20150921.DeleteRepository");
            assertThat(deleted.statusCode()).isEqualTo(200);

            String response = post.finish();
            assertThat(response).startsWith("HTTP/1.1 404 ").contains("\"code\":\"NAME_UNKNOWN\"");
        }
        assertThat(uploadFiles()).isEmpty();
        assertThat(r.registry.metadata().blobSize(Digest.parse(digest(blob)))).hasValue(blob.length); // the file has its row
        assertThat(r.head("/v2/doomed/blobs/" + digest(blob)).statusCode()).isEqualTo(404);
    }

    @Test
    void completingAChunkedUploadIntoADeletedRepositoryIsNameUnknown() throws Exception {
        registry(3);
        byte[] blob = randomBytes(1000);
        String location = start("gone");
        r.send("PATCH", location, blob);
        r.send("POST", "/", "{\"repositoryName\":\"gone\",\"force\":true}".getBytes(StandardCharsets.UTF_8),
                "Content-Type", "application/x-amz-json-1.1",
                "X-Amz-Target", "AmazonEC2ContainerRegistry_V20150921.DeleteRepository");
        assertError(r.send("PUT", location + "?digest=" + digest(blob), null), 404, "NAME_UNKNOWN");
        r.registry.uploadSweeper().sweep(); // the session went with the repository; its bytes, once stale
        clock.advance(Duration.ofMinutes(10));
        r.registry.uploadSweeper().sweep();
        assertThat(uploadFiles()).isEmpty();
    }

    private String start(String repo) throws Exception {
        HttpResponse<byte[]> res = r.send("POST", "/v2/" + repo + "/blobs/uploads/", null);
        assertThat(res.statusCode()).as(new String(res.body(), StandardCharsets.UTF_8)).isEqualTo(202);
        return res.headers().firstValue("Location").orElseThrow();
    }

    private static void assertError(HttpResponse<byte[]> res, int status, String code) {
        String text = new String(res.body(), StandardCharsets.UTF_8);
        assertThat(res.statusCode()).as(text).isEqualTo(status);
        assertThat(text).contains("\"code\":\"" + code + "\"");
    }

    private List<Path> uploadFiles() throws IOException {
        try (Stream<Path> files = Files.list(r.dataDir.resolve("uploads"))) {
            return new ArrayList<>(files.toList());
        }
    }

    private void awaitUploadFileSize(long size) throws Exception {
        for (int i = 0; i < 500; i++) {
            List<Path> files = uploadFiles();
            if (files.size() == 1 && Files.size(files.getFirst()) >= size) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the upload's first bytes never reached the disk");
    }

    /** A client that sends the head, then the body piece by piece when told: a slow upload. */
    private static final class SlowPost implements AutoCloseable {
        private final Socket socket;
        private final byte[] body;
        private int sent;

        SlowPost(int port, String path, byte[] body) throws IOException {
            this.socket = new Socket("127.0.0.1", port);
            this.body = body;
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\n"
                    + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }

        void sendUpTo(int end) throws IOException {
            OutputStream out = socket.getOutputStream();
            out.write(body, sent, end - sent);
            out.flush();
            sent = end;
        }

        /** Sends the rest of the body; returns the whole response. */
        String finish() throws IOException {
            sendUpTo(body.length);
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
