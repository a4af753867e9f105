package io.wharf.server.faults;

import static io.wharf.server.faults.Served.expect;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.server.oci.Fixtures;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * A real full disk under a running Wharf (a small tmpfs filled to the last byte), over the OCI API: every
 * write fails with a clear storage-full error and keeps nothing, reads go on, cancelling an upload frees its
 * bytes, readiness reports a store that cannot write, and once space is freed writes work and are atomic.
 */
class DiskFullTest extends OnASmallDisk {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aChunkOnAFullDiskFailsAsStorageFullKeepsNothingAndCancellingFreesTheUpload() throws Exception {
        byte[] manifest = wharf.pushBlobsOfImage("app", 1024);
        expect(201, wharf.putManifest("app", "v1", manifest));
        String location = expect(202, wharf.send("POST", "/v2/app/blobs/uploads/", null)).headers()
                .firstValue("Location").orElseThrow();
        Path bytes = disk.root.resolve("data/uploads").resolve(location.substring(location.lastIndexOf('/') + 1));
        expect(202, wharf.send("PATCH", location, Fixtures.randomBytes(4 * MiB), "Content-Type", "application/octet-stream"));
        disk.fill();

        HttpResponse<byte[]> full = wharf.send("PATCH", location, Fixtures.randomBytes(2 * MiB),
                "Content-Type", "application/octet-stream");
        assertStorageFull(full);
        assertThat(Files.size(bytes)).as("unacknowledged bytes are dropped").isEqualTo(4 * MiB);

        // reads go on, the first pull of the day included (its pull-time record cannot be written)
        HttpResponse<byte[]> pulled = expect(200, wharf.get("/v2/app/manifests/v1"));
        assertThat(pulled.body()).isEqualTo(manifest);
        expect(200, wharf.get("/v2/app/blobs/" + firstLayer(manifest)));

        long before = disk.usable();
        expect(204, wharf.send("DELETE", location, null));
        assertThat(bytes).doesNotExist();
        assertThat(disk.usable() - before).as("space freed").isGreaterThan(3L * MiB);
        expect(404, wharf.get(location));
    }

    @Test
    void aMonolithicBlobPushOnAFullDiskFailsAsStorageFullAndLeavesNoBytes() throws Exception {
        wharf.pushBlob("app", Fixtures.randomBytes(1024)); // the repository exists: the failing write is the blob's
        byte[] blob = Fixtures.randomBytes(2 * MiB);
        disk.fill();

        assertStorageFull(wharf.send("POST", "/v2/app/blobs/uploads/?digest=" + Fixtures.digest(blob), blob,
                "Content-Type", "application/octet-stream"));
        try (var left = Files.list(disk.root.resolve("data/uploads"))) {
            assertThat(left).isEmpty();
        }
        disk.free();
        expect(404, wharf.send("HEAD", "/v2/app/blobs/" + Fixtures.digest(blob), null));
    }

    @Test
    void aManifestPushOnAFullDiskStoresNothingAndWritesRecoverOnceSpaceIsFreed() throws Exception {
        byte[] manifest = wharf.pushBlobsOfImage("app", 1024);
        String digest = Fixtures.digest(manifest);
        disk.fill();

        assertStorageFull(wharf.putManifest("app", "v1", manifest));
        assertReady(false);
        expect(404, wharf.get("/v2/app/manifests/v1"));
        expect(404, wharf.get("/v2/app/manifests/" + digest));
        expect(200, wharf.get("/v2/app/tags/list"));

        disk.free();
        assertReady(true);
        // the writer connection survived the failed transaction: answers agree with what is stored
        expect(201, wharf.putManifest("app", "v1", manifest));
        assertThat(expect(200, wharf.get("/v2/app/manifests/v1")).body()).isEqualTo(manifest);
        expect(202, wharf.send("DELETE", "/v2/app/manifests/" + digest, null));
        expect(404, wharf.get("/v2/app/manifests/" + digest));
        expect(404, wharf.get("/v2/app/manifests/v1"));
    }

    @Test
    void aDeleteOnAFullDiskFailsAsStorageFullAndKeepsTheManifest() throws Exception {
        byte[] manifest = wharf.pushBlobsOfImage("app", 1024);
        String digest = Fixtures.digest(manifest);
        expect(201, wharf.putManifest("app", "v1", manifest));
        disk.fill();

        assertStorageFull(wharf.send("DELETE", "/v2/app/manifests/" + digest, null));
        assertThat(expect(200, wharf.get("/v2/app/manifests/" + digest)).body()).isEqualTo(manifest);

        disk.free();
        expect(202, wharf.send("DELETE", "/v2/app/manifests/" + digest, null));
        expect(404, wharf.get("/v2/app/manifests/v1"));
    }

    private static String firstLayer(byte[] manifest) throws Exception {
        return JSON.readTree(manifest).path("layers").path(0).path("digest").asText();
    }

    private static void assertStorageFull(HttpResponse<byte[]> res) throws Exception {
        assertThat(res.statusCode()).as(new String(res.body())).isEqualTo(507);
        JsonNode error = JSON.readTree(res.body()).path("errors").path(0);
        assertThat(error.path("code").asText()).isEqualTo("UNAVAILABLE");
        assertThat(error.path("message").asText()).startsWith("storage full");
    }

    /** Readiness may take a probe interval to notice a change. */
    private void assertReady(boolean ready) throws Exception {
        int expected = ready ? 200 : 503;
        Instant deadline = Instant.now().plus(Duration.ofSeconds(5));
        int status;
        do {
            status = wharf.get("/readyz").statusCode();
        } while (status != expected && Instant.now().isBefore(deadline) && pause());
        assertThat(status).isEqualTo(expected);
    }

    private static boolean pause() throws InterruptedException {
        Thread.sleep(100);
        return true;
    }
}
