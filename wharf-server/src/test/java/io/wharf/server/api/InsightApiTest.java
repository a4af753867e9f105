package io.wharf.server.api;

import static io.wharf.server.api.ApiServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.core.model.Digest;
import io.wharf.core.spi.InsightIndex;
import io.wharf.scan.insight.InsightSettings;
import io.wharf.server.config.WharfConfig;
import io.wharf.server.oci.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Layer insight over HTTP on a real server with authentication on: a three-layer image with overwritten, removed,
 * opaque and re-added files is pushed over the OCI API, the {@code insight-on-push} subscriber queues it, the
 * {@code insight} job reads its layers; the image's figures and a layer's tree are then asked for as JSON.
 */
class InsightApiTest {
    private static final String REPO = "team/app";
    private static final String ARN = "arn:aws:ecr:us-east-1:" + ApiServer.ACCOUNT + ":repository/";
    private static final String CONFIG = "{\"architecture\":\"amd64\",\"os\":\"linux\"}";

    @TempDir
    Path data;
    private ApiServer server;
    private final List<byte[]> layers = new ArrayList<>();
    private String image;

    @BeforeEach
    void start() throws Exception {
        server = new ApiServer(data, c -> c
                .withEvents(new WharfConfig.Events(Duration.ofMillis(100), Duration.ofDays(7), 100, false))
                .withInsight(new WharfConfig.Insight(Duration.ofMillis(200), InsightSettings.DEFAULTS)));
        // base: 1,588 file bytes
        layers.add(new Tar().dir("etc").file("etc/os-release", "ID=test\n").file("etc/config", "a".repeat(100))
                .file("usr/bin/tool", "x".repeat(1000)).file("usr/share/doc/readme", "r".repeat(50))
                .file("usr/share/doc/license", "l".repeat(30)).symlink("bin", "usr/bin")
                .dir("tmp").file("tmp/cache.bin", "c".repeat(400)).gzip());
        // config modified, tool re-added unchanged, tmp removed, doc made opaque and readme re-added, app/ added
        layers.add(new Tar().file("etc/config", "b".repeat(120)).file("usr/bin/tool", "x".repeat(1000))
                .file(".wh.tmp", "").file("usr/share/doc/.wh..wh..opq", "").file("usr/share/doc/readme", "R".repeat(60))
                .file("app/big.dat", "d".repeat(5000)).hardlink("app/link", "app/big.dat").gzip());
        // big.dat removed, run.sh written twice in the layer, config re-added unchanged
        layers.add(new Tar().file("app/.wh.big.dat", "").file("app/run.sh", "#".repeat(10))
                .file("app/run.sh", "!".repeat(20)).file("etc/config", "b".repeat(120)).gzip());
        image = push(REPO, "v1", layers);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** A tar.gz layer built entry by entry. */
    private static final class Tar {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final TarArchiveOutputStream tar;

        Tar() throws IOException {
            tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes));
        }

        Tar file(String name, String content) throws IOException {
            byte[] b = content.getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry e = new TarArchiveEntry(name);
            e.setSize(b.length);
            tar.putArchiveEntry(e);
            tar.write(b);
            tar.closeArchiveEntry();
            return this;
        }

        Tar dir(String name) throws IOException {
            tar.putArchiveEntry(new TarArchiveEntry(name + "/"));
            tar.closeArchiveEntry();
            return this;
        }

        Tar symlink(String name, String target) throws IOException {
            return link(name, target, TarArchiveEntry.LF_SYMLINK);
        }

        Tar hardlink(String name, String target) throws IOException {
            return link(name, target, TarArchiveEntry.LF_LINK);
        }

        private Tar link(String name, String target, byte type) throws IOException {
            TarArchiveEntry e = new TarArchiveEntry(name, type);
            e.setLinkName(target);
            tar.putArchiveEntry(e);
            tar.closeArchiveEntry();
            return this;
        }

        byte[] gzip() throws IOException {
            tar.close();
            return bytes.toByteArray();
        }
    }

    private String push(String repository, String tag, List<byte[]> blobs) throws Exception {
        byte[] config = CONFIG.getBytes(StandardCharsets.UTF_8);
        List<byte[]> all = new ArrayList<>(blobs);
        all.add(config);
        for (byte[] blob : all) {
            HttpResponse<String> r = server.send("POST", "/v2/" + repository + "/blobs/uploads/?digest="
                    + Fixtures.digest(blob), server.root(), BodyPublishers.ofByteArray(blob), "application/octet-stream");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        }
        byte[] manifest = Fixtures.manifest(config, blobs.toArray(byte[][]::new));
        return putManifest(repository, tag, manifest, Fixtures.OCI_MANIFEST);
    }

    private String putManifest(String repository, String tag, byte[] manifest, String mediaType) throws Exception {
        HttpResponse<String> r = server.send("PUT", "/v2/" + repository + "/manifests/" + tag, server.root(),
                BodyPublishers.ofByteArray(manifest), mediaType);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return Fixtures.digest(manifest);
    }

    private JsonNode get(String path, String authorization, int status) throws Exception {
        HttpResponse<String> r = server.send("GET", path, authorization);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
        return json(r);
    }

    /** Waits for the background job to have read every layer (without asking the API, which would queue the image). */
    private void awaitLayersRead() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        for (byte[] layer : layers) {
            while (server.metadata().insights().layerInsight(Digest.sha256Of(layer)).isEmpty()) {
                assertThat(System.nanoTime()).as("the insight job read the pushed layers in time").isLessThan(deadline);
                Thread.sleep(50);
            }
        }
    }

    private String insightPath(String digest) {
        return "/wharf/v1/repositories/" + REPO + "/images/" + digest + "/insight";
    }

    @Test
    void aPushedImagesInsightHasTheExactFiguresComputedByHand() throws Exception {
        awaitLayersRead();
        JsonNode i = get(insightPath(image), server.root(), 200);
        assertThat(i.get("status").asText()).isEqualTo("COMPLETE");
        assertThat(i.get("imageDigest").asText()).isEqualTo(image);
        assertThat(i.get("totalFileBytes").asLong()).isEqualTo(1588 + 6180 + 150);
        assertThat(i.get("wastedBytes").asLong()).isEqualTo(6710);
        assertThat(i.get("visibleBytes").asLong()).isEqualTo(1208);
        assertThat(i.get("duplicateBytes").asLong()).isEqualTo(1120);
        assertThat(i.get("efficiency").asDouble()).isEqualTo(1208.0 / 7918.0);
        JsonNode waste = i.get("biggestWastedFiles");
        assertThat(waste.findValuesAsText("path")).containsExactly("/app/big.dat", "/usr/bin/tool", "/tmp/cache.bin",
                "/etc/config", "/etc/config", "/usr/share/doc/readme", "/usr/share/doc/license");
        assertThat(waste.get(0).toString()).isEqualTo("{\"path\":\"/app/big.dat\",\"layerIndex\":1,\"size\":5000,"
                + "\"hiddenByLayerIndex\":2,\"removed\":true}");
        JsonNode l = i.get("layers");
        assertThat(l).hasSize(3);
        assertThat(l.get(0).get("digest").asText()).isEqualTo(Fixtures.digest(layers.get(0)));
        assertThat(l.get(0).get("size").asLong()).isEqualTo(layers.get(0).length);
        assertThat(l.findValuesAsText("status")).containsExactly("COMPLETE", "COMPLETE", "COMPLETE");
        assertThat(l.findValues("wastedBytes")).extracting(JsonNode::asLong).containsExactly(1580L, 5120L, 10L);
        assertThat(l.findValues("added")).extracting(JsonNode::asLong).containsExactly(7L, 2L, 1L);
        assertThat(l.findValues("modified")).extracting(JsonNode::asLong).containsExactly(0L, 3L, 1L);
        assertThat(l.findValues("removed")).extracting(JsonNode::asLong).containsExactly(0L, 2L, 1L);
        assertThat(l.findValues("removedBytes")).extracting(JsonNode::asLong).containsExactly(0L, 430L, 5000L);
        assertThat(l.findValues("duplicateBytes")).extracting(JsonNode::asLong).containsExactly(0L, 1000L, 120L);
        assertThat(l.findValues("fileBytes")).extracting(JsonNode::asLong).containsExactly(1588L, 6180L, 150L);
    }

    @Test
    void aLayerSharedByAnotherImageIsNotReadAgain() throws Exception {
        awaitLayersRead();
        List<Instant> before = computedAt();
        Instant pushed = Instant.now();
        String other = push("team/other", "v1", List.of(layers.get(0), layers.get(1)));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!ranAfter(pushed)) {
            assertThat(System.nanoTime()).as("the job took the second image off its queue").isLessThan(deadline);
            Thread.sleep(50);
        }
        assertThat(server.metadata().findJob("insight").orElseThrow().counters()).containsEntry("layers", 0L);
        assertThat(computedAt()).as("the records of the shared layers were not written again").isEqualTo(before);
        JsonNode i = get("/wharf/v1/repositories/team/other/images/" + other + "/insight", server.root(), 200);
        assertThat(i.get("wastedBytes").asLong()).as("base 1,580 + the middle layer's nothing").isEqualTo(1580);
        assertThat(i.get("totalFileBytes").asLong()).isEqualTo(1588 + 6180);
    }

    /** Whether a run of the {@code insight} job that began after {@code t} finished having taken an image. */
    private boolean ranAfter(Instant t) {
        var job = server.metadata().findJob("insight").orElseThrow();
        return job.owner() == null && job.lastStartedAt() != null && job.lastStartedAt().isAfter(t)
                && job.counters().getOrDefault("images", 0L) > 0;
    }

    private List<Instant> computedAt() {
        return layers.stream().map(l -> server.metadata().insights().layerInsight(Digest.sha256Of(l)).orElseThrow()
                .computedAt()).toList();
    }

    @Test
    void aLayersTreeIsPagedByDirectory() throws Exception {
        awaitLayersRead();
        String middle = insightPath(image) + "/layers/" + Fixtures.digest(layers.get(1));
        JsonNode first = get(middle + "?limit=2", server.root(), 200);
        assertThat(first.get("layerIndex").asInt()).isEqualTo(1);
        assertThat(first.get("path").asText()).isEqualTo("/");
        assertThat(first.get("entries").findValuesAsText("name")).containsExactly("app", "etc");
        assertThat(first.get("entries").findValuesAsText("change")).containsExactly("ADDED", "MODIFIED");
        JsonNode second = get(middle + "?limit=2&after=" + first.get("next").asText(), server.root(), 200);
        assertThat(second.get("entries").findValuesAsText("name")).containsExactly("tmp", "usr");
        assertThat(second.get("entries").findValuesAsText("change")).containsExactly("REMOVED", "MODIFIED");
        assertThat(second.get("next").isNull()).isTrue();
        JsonNode doc = get(middle + "?path=/usr/share/doc", server.root(), 200);
        assertThat(doc.get("path").asText()).isEqualTo("/usr/share/doc");
        JsonNode license = doc.get("entries").get(0);
        assertThat(license.get("path").asText()).isEqualTo("/usr/share/doc/license");
        assertThat(license.get("type").asText()).isEqualTo("FILE");
        assertThat(license.get("change").asText()).isEqualTo("REMOVED");
        assertThat(license.get("size").asLong()).isEqualTo(30);
        assertThat(doc.get("entries").get(1).get("change").asText()).isEqualTo("MODIFIED");
        JsonNode app = get(insightPath(image) + "/layers/" + Fixtures.digest(layers.get(1)) + "?path=app", server.root(), 200);
        assertThat(app.get("entries").get(1).get("type").asText()).isEqualTo("HARDLINK");
        assertThat(app.get("entries").get(1).get("target").asText()).isEqualTo("app/big.dat");
        assertThat(app.get("entries").findValuesAsText("wasted")).as("big.dat is whited out by the top layer")
                .containsExactly("true", "false");
    }

    @Test
    void badInputGetsTheApisErrorShape() throws Exception {
        awaitLayersRead();
        String middle = insightPath(image) + "/layers/" + Fixtures.digest(layers.get(1));
        assertThat(get(middle + "?path=../etc", server.root(), 400).get("code").asText()).isEqualTo("INVALID_PARAMETER");
        assertThat(get(middle + "?limit=0", server.root(), 400).get("code").asText()).isEqualTo("INVALID_PARAMETER");
        assertThat(get(middle + "?limit=1001", server.root(), 400).get("code").asText()).isEqualTo("INVALID_PARAMETER");
        String foreign = insightPath(image) + "/layers/" + Fixtures.digest("nope".getBytes(StandardCharsets.UTF_8));
        assertThat(get(foreign, server.root(), 400).get("message").asText()).contains("has no layer");
        assertThat(get(insightPath("sha256:zz"), server.root(), 400).get("code").asText()).isEqualTo("INVALID_PARAMETER");
        String missing = Fixtures.digest("missing".getBytes(StandardCharsets.UTF_8));
        assertThat(get(insightPath(missing), server.root(), 404).get("code").asText()).isEqualTo("NOT_FOUND");
        assertThat(get("/wharf/v1/repositories/team/none/images/" + missing + "/insight", server.root(), 404)
                .get("code").asText()).isEqualTo("NOT_FOUND");
    }

    @Test
    void callersNeedWhatPullingTheImageNeeds() throws Exception {
        HttpResponse<String> anonymous = server.send("GET", insightPath(image), null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).isPresent();
        assertThat(json(anonymous).get("code").asText()).isEqualTo("UNAUTHORIZED");
        String nobody = server.user("nobody", "*");
        JsonNode denied = get(insightPath(image), nobody, 403);
        assertThat(denied.get("code").asText()).isEqualTo("DENIED");
        assertThat(denied.get("message").asText()).contains("ecr:BatchGetImage").contains(ARN + REPO);
        String otherRepo = server.user("other", ARN + "team/other", "ecr:BatchGetImage");
        get(insightPath(image), otherRepo, 403);
        String puller = server.user("puller", ARN + REPO, "ecr:BatchGetImage");
        awaitLayersRead();
        assertThat(get(insightPath(image), puller, 200).get("status").asText()).isEqualTo("COMPLETE");
    }

    @Test
    void anImageWhoseLayerRecordIsMissingOrStaleIsPendingUntilTheJobReadItAgain() throws Exception {
        byte[] layer = new Tar().file("hello.txt", "hello").gzip();
        String fresh = push("team/fresh", "v1", List.of(layer));
        layers.clear();
        layers.add(layer);
        awaitLayersRead();
        Digest digest = Digest.sha256Of(layer);
        server.metadata().insights().putLayerInsight(new InsightIndex.LayerInsight(digest, 0,
                InsightIndex.Status.COMPLETE, null, 0, 0, 0, 0, Instant.now()), List.of()); // a record of an older format
        String path = "/wharf/v1/repositories/team/fresh/images/" + fresh + "/insight";
        JsonNode pending = get(path, server.root(), 202);
        assertThat(pending.get("status").asText()).isEqualTo("PENDING");
        assertThat(pending.get("layers").get(0).get("status").asText()).isEqualTo("PENDING");
        assertThat(pending.has("efficiency")).isFalse();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        HttpResponse<String> r;
        while ((r = server.send("GET", path, server.root())).statusCode() == 202) {
            assertThat(System.nanoTime()).as("the queued image was read in time").isLessThan(deadline);
            Thread.sleep(50);
        }
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode done = json(r);
        assertThat(done.get("totalFileBytes").asLong()).isEqualTo(5);
        assertThat(done.get("efficiency").asDouble()).isEqualTo(1.0);
        assertThat(server.metadata().insights().layerInsight(digest).orElseThrow().format()).isPositive();
    }

    @Test
    void aLayerThatIsNotATarIsRecordedUnreadableAndSaysSo() throws Exception {
        byte[] garbage = Fixtures.randomBytes(2048);
        String broken = push("team/broken", "v1", List.of(garbage));
        layers.clear();
        layers.add(garbage);
        awaitLayersRead();
        JsonNode i = get("/wharf/v1/repositories/team/broken/images/" + broken + "/insight", server.root(), 200);
        assertThat(i.get("status").asText()).isEqualTo("UNREADABLE");
        assertThat(i.get("detail").asText()).contains("not a readable tar");
        assertThat(i.get("layers").get(0).get("status").asText()).isEqualTo("UNREADABLE");
        assertThat(i.has("efficiency")).isFalse();
        JsonNode tree = get("/wharf/v1/repositories/team/broken/images/" + broken + "/insight/layers/"
                + Fixtures.digest(garbage), server.root(), 400);
        assertThat(tree.get("message").asText()).contains("was not read");
    }

    @Test
    void anIndexAnswersWithItsPlatforms() throws Exception {
        String manifest = Fixtures.digest(server.send("GET", "/v2/" + REPO + "/manifests/v1", server.root()).body()
                .getBytes(StandardCharsets.UTF_8));
        assertThat(manifest).isEqualTo(image);
        String index = "{\"schemaVersion\":2,\"mediaType\":\"" + Fixtures.OCI_INDEX + "\",\"manifests\":[{\"mediaType\":\""
                + Fixtures.OCI_MANIFEST + "\",\"digest\":\"" + image + "\",\"size\":1,\"platform\":{\"os\":\"linux\","
                + "\"architecture\":\"arm64\",\"variant\":\"v8\"}}]}";
        HttpResponse<String> sized = server.send("HEAD", "/v2/" + REPO + "/manifests/v1", server.root());
        String size = sized.headers().firstValue("Content-Length").orElseThrow();
        String digest = putManifest(REPO, "multi", index.replace("\"size\":1", "\"size\":" + size)
                .getBytes(StandardCharsets.UTF_8), Fixtures.OCI_INDEX);
        JsonNode i = get(insightPath(digest), server.root(), 200);
        assertThat(i.get("status").asText()).isEqualTo("INDEX");
        assertThat(i.get("manifests").get(0).get("digest").asText()).isEqualTo(image);
        assertThat(i.get("manifests").get(0).get("platform").asText()).isEqualTo("linux/arm64/v8");
        String tree = insightPath(digest) + "/layers/" + Fixtures.digest(layers.get(0));
        assertThat(get(tree, server.root(), 400).get("message").asText()).contains("is an index");
    }
}
