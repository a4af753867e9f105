package io.wharf.server.replication;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.core.model.Digest;
import io.wharf.core.model.Reference;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.model.Tag;
import io.wharf.core.service.RepoKey;
import io.wharf.core.service.Registry;
import io.wharf.core.spi.DocumentKind;
import io.wharf.server.oci.Fixtures;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Replication to another account of the same deployment, through the real wiring: ECR API, OCI pushes, the job. */
class CrossAccountReplicationTest {
    static final String SOURCE = "000000000000";
    static final String DEST = "111111111111";
    static final ObjectMapper JSON = new ObjectMapper();
    static final String ALLOW_REPLICATION = """
            {"Version":"2012-10-17","Statement":[{"Sid":"r","Effect":"Allow",
             "Principal":{"AWS":"arn:aws:iam::000000000000:root"},
             "Action":["ecr:ReplicateImage","ecr:CreateRepository"],
             "Resource":"arn:aws:ecr:us-east-1:111111111111:repository/*"}]}""";

    @TempDir
    Path data;
    private Deployment d;

    @BeforeEach
    void start() throws Exception {
        d = Deployment.start(data, "us-east-1", Map.of(), Map.of());
    }

    @AfterEach
    void stop() {
        d.close();
    }

    private Registry registry() {
        return d.backend.registry();
    }

    private void configure(String rules) throws Exception {
        HttpResponse<String> r = d.ecr("PutReplicationConfiguration", "{\"replicationConfiguration\":{\"rules\":" + rules + "}}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    private static String rule(String filters) {
        return "[{\"destinations\":[{\"region\":\"us-east-1\",\"registryId\":\"" + DEST + "\"}]"
                + (filters == null ? "" : ",\"repositoryFilters\":" + filters) + "}]";
    }

    private void allowReplication() {
        registry().metadata().putAccountDocument(DEST, DocumentKind.REGISTRY_POLICY, ALLOW_REPLICATION, Instant.now());
    }

    private JsonNode statuses(String repo, Digest digest) throws Exception {
        HttpResponse<String> r = d.ecr("DescribeImageReplicationStatus", "{\"repositoryName\":\"" + repo
                + "\",\"imageId\":{\"imageDigest\":\"" + digest + "\"}}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).get("replicationStatuses");
    }

    private String status(String repo, Digest digest) throws Exception {
        JsonNode s = statuses(repo, digest);
        return s.isEmpty() ? "NONE" : s.get(0).get("status").asText();
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    private void awaitStatus(String repo, Digest digest, String expected) throws InterruptedException {
        await(repo + "@" + digest + " " + expected, () -> {
            try {
                return status(repo, digest).equals(expected);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private boolean atDestination(String repo, Digest digest) {
        try {
            registry().manifests().get(new RepoKey(DEST, new RepositoryName(repo)), new Reference.ByDigest(digest));
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private Digest digestOf(String repo, String tag) {
        return registry().manifests().get(new RepoKey(DEST, new RepositoryName(repo)), new Reference.ByTag(new Tag(tag))).digest();
    }

    @Test
    void anIndexWithItsChildrenReferrersAndTagsIsCopiedOnceTheDestinationsRegistryPolicyAllowsIt() throws Exception {
        configure(rule("[{\"filter\":\"team/\",\"filterType\":\"PREFIX_MATCH\"}]"));
        byte[] amd = d.pushImage("team/app", "amd");
        byte[] arm = d.pushImage("team/app", "arm");
        byte[] index = ("{\"schemaVersion\":2,\"mediaType\":\"" + Fixtures.OCI_INDEX + "\",\"manifests\":["
                + platform(amd, "amd64") + "," + platform(arm, "arm64") + "]}").getBytes(UTF_8);
        Digest indexDigest = d.putManifest("team/app", "v1", Fixtures.OCI_INDEX, index);
        byte[] sigLayer = "signature".getBytes(UTF_8);
        byte[] empty = "{}".getBytes(UTF_8);
        d.pushBlob("team/app", sigLayer);
        d.pushBlob("team/app", empty);
        byte[] signature = ("{\"schemaVersion\":2,\"mediaType\":\"" + Fixtures.OCI_MANIFEST + "\",\"artifactType\":"
                + "\"application/vnd.dev.cosign.artifact.sig.v1+json\",\"config\":"
                + Fixtures.descriptor("application/vnd.oci.empty.v1+json", empty) + ",\"layers\":["
                + Fixtures.descriptor("application/vnd.dev.cosign.simplesigning.v1+json", sigLayer) + "],\"subject\":"
                + Fixtures.descriptor(Fixtures.OCI_INDEX, index) + "}").getBytes(UTF_8);
        Digest sigDigest = d.putManifest("team/app", Digest.sha256Of(signature).toString(), Fixtures.OCI_MANIFEST, signature);
        d.pushImage("other/app", "v1");

        awaitStatus("team/app", indexDigest, "FAILED");
        JsonNode failed = statuses("team/app", indexDigest).get(0);
        assertThat(failed.get("region").asText()).isEqualTo("us-east-1");
        assertThat(failed.get("registryId").asText()).isEqualTo(DEST);
        assertThat(failed.get("failureCode").asText()).contains("registry policy of " + DEST).contains("ecr:ReplicateImage");
        assertThat(atDestination("team/app", indexDigest)).isFalse();

        allowReplication();
        d.putManifest("team/app", "v2", Fixtures.OCI_INDEX, index); // a new tag queues the image again
        awaitStatus("team/app", indexDigest, "COMPLETE");
        assertThat(digestOf("team/app", "v1")).isEqualTo(indexDigest);
        assertThat(digestOf("team/app", "v2")).isEqualTo(indexDigest);
        for (byte[] m : List.of(amd, arm, signature)) {
            assertThat(atDestination("team/app", Digest.sha256Of(m))).isTrue();
        }
        RepoKey dest = new RepoKey(DEST, new RepositoryName("team/app"));
        assertThat(registry().manifests().referrers(dest, indexDigest, null)).extracting(r -> r.digest()).containsExactly(sigDigest);
        assertThat(registry().blobs().stat(dest, Digest.sha256Of(sigLayer))).isEqualTo(sigLayer.length);
        assertThat(registry().metadata().findRepository(DEST, new RepositoryName("other/app"))).as("filtered out").isEmpty();
        assertThat(status("other/app", d.backend.registry().manifests()
                .get(new RepoKey(SOURCE, new RepositoryName("other/app")), new Reference.ByTag(new Tag("v1"))).digest())).isEqualTo("NONE");
    }

    private static String platform(byte[] manifest, String arch) {
        return "{\"mediaType\":\"" + Fixtures.OCI_MANIFEST + "\",\"digest\":\"" + Fixtures.digest(manifest) + "\",\"size\":"
                + manifest.length + ",\"platform\":{\"architecture\":\"" + arch + "\",\"os\":\"linux\"}}";
    }

    @Test
    void tagFiltersReplicateOnlyMatchingTags() throws Exception {
        allowReplication();
        configure(rule("[{\"filter\":\"release-*\",\"filterType\":\"WHARF_TAG_WILDCARD\"}]"));
        Digest release = Digest.sha256Of(d.pushImage("app", "release-1"));
        byte[] releaseManifest = registry().manifests().get(new RepoKey(SOURCE, new RepositoryName("app")),
                new Reference.ByTag(new Tag("release-1"))).content();
        d.putManifest("app", "dev-of-release", Fixtures.OCI_MANIFEST, releaseManifest); // one image, two tags
        Digest dev = Digest.sha256Of(d.pushImage("app", "dev-1"));
        awaitStatus("app", release, "COMPLETE");
        assertThat(digestOf("app", "release-1")).isEqualTo(release);
        assertThat(registry().metadata().findImage(registry().metadata().findRepository(DEST, new RepositoryName("app"))
                .orElseThrow().id(), release).orElseThrow().tags()).as("a tag filtered out stays behind")
                .containsExactly(new Tag("release-1"));
        Thread.sleep(500);
        assertThat(status("app", dev)).isEqualTo("NONE");
        assertThat(atDestination("app", dev)).isFalse();
    }

    @Test
    void anImageThatReplicationPushedHereIsNotReplicatedOnward() throws Exception {
        allowReplication();
        configure(rule(null));
        Digest relayed = Digest.sha256Of(d.pushImage("app", "from-west", "X-Wharf-Replicated-From", "us-west-2/222222222222"));
        Digest own = Digest.sha256Of(d.pushImage("app", "own"));
        awaitStatus("app", own, "COMPLETE");
        assertThat(status("app", relayed)).isEqualTo("NONE");
        assertThat(atDestination("app", relayed)).isFalse();
    }

    @Test
    void addingARuleBackfillsTheImagesThatExistedBeforeItWithProgress() throws Exception {
        allowReplication();
        for (int i = 0; i < 5; i++) {
            d.pushImage("old/app" + i, "v1");
        }
        configure(rule(null));
        // the last push's event may reach the subscriber after the rule: then the push queues it, not the backfill
        await("backfill done", () -> {
            JsonNode b = backfills().get(0);
            return b.get("state").asText().equals("DONE") && b.get("queued").asLong() >= 4
                    && b.path("tasks").path("COMPLETE").asLong() == b.get("queued").asLong();
        });
        JsonNode b = backfills().get(0);
        assertThat(b.get("images").asLong()).isEqualTo(5);
        await("every image at the destination", () -> java.util.stream.IntStream.range(0, 5).allMatch(i ->
                registry().metadata().findRepository(DEST, new RepositoryName("old/app" + i)).isPresent()));
        HttpResponse<String> again = d.send("POST", "/wharf/v1/replication/backfills", null);
        assertThat(again.statusCode()).as(again.body()).isEqualTo(202);
        long id = JSON.readTree(again.body()).get("id").asLong();
        await("second backfill done", () -> {
            try {
                JsonNode one = JSON.readTree(d.send("GET", "/wharf/v1/replication/backfills/" + id, null).body());
                return one.get("state").asText().equals("DONE");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        JsonNode one = JSON.readTree(d.send("GET", "/wharf/v1/replication/backfills/" + id, null).body());
        assertThat(one.get("images").asLong()).isEqualTo(5);
        assertThat(one.get("queued").asLong()).as("already replicated").isZero();
        assertThat(d.send("GET", "/wharf/v1/replication/backfills/999", null).statusCode()).isEqualTo(404);
    }

    private JsonNode backfills() {
        try {
            HttpResponse<String> r = d.send("GET", "/wharf/v1/replication/backfills", null);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            return JSON.readTree(r.body()).get("backfills");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theConfigurationIsCheckedAgainstEcrsLimitsAndReadBack() throws Exception {
        HttpResponse<String> empty = d.ecr("DescribeRegistry", "{}");
        assertThat(JSON.readTree(empty.body()).get("replicationConfiguration").get("rules")).isEmpty();
        assertThat(JSON.readTree(empty.body()).get("registryId").asText()).isEqualTo(SOURCE);
        String eleven = "[" + String.join(",", java.util.Collections.nCopies(11, "{\"destinations\":[]}")) + "]";
        for (String bad : List.of(eleven,
                "[{\"destinations\":[{\"region\":\"us-east-1\",\"registryId\":\"" + SOURCE + "\"}]}]",
                "[{\"destinations\":[{\"region\":\"US_EAST\",\"registryId\":\"" + DEST + "\"}]}]",
                rule("[{\"filter\":\"a\",\"filterType\":\"SUFFIX\"}]"))) {
            HttpResponse<String> r = d.ecr("PutReplicationConfiguration", "{\"replicationConfiguration\":{\"rules\":" + bad + "}}");
            assertThat(r.statusCode()).as(bad).isEqualTo(400);
            assertThat(r.body()).as(bad).contains("ValidationException");
        }
        String good = rule("[{\"filter\":\"team/\",\"filterType\":\"PREFIX_MATCH\"},{\"filter\":\"release-*\",\"filterType\":\"WHARF_TAG_WILDCARD\"}]");
        configure(good);
        JsonNode stored = JSON.readTree(d.ecr("DescribeRegistry", "{}").body()).get("replicationConfiguration");
        assertThat(stored).isEqualTo(JSON.readTree("{\"rules\":" + good + "}"));
        configure("[]");
        assertThat(JSON.readTree(d.ecr("DescribeRegistry", "{}").body()).get("replicationConfiguration").get("rules")).isEmpty();
    }
}
