package io.wharf.server.replication;

import static io.wharf.server.replication.CrossAccountReplicationTest.await;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.iam.Principal;
import io.wharf.core.model.Digest;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.spi.ReplicationIndex.Status;
import io.wharf.core.spi.ReplicationIndex.Task;
import io.wharf.core.spi.Repository;
import io.wharf.server.auth.AuthSetup;
import io.wharf.server.oci.Fixtures;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two deployments with different region names on loopback: us-east-1 (auth off) replicates to us-west-2 (IAM on)
 * over real HTTP with the AWS keys of its regions file; us-west-2 has a rule back, which must not relay. us-west-2 has
 * ECR's default, create on push off: replicated pushes still create their repositories there.
 */
class CrossRegionReplicationTest {
    static final String ACCOUNT = "000000000000";
    static final String KEY = "AKIAWESTWESTWESTWEST";
    static final String SECRET = "westwestwestwestwestwestwestwestwestwest";
    static final String TO_WEST = "[{\"destinations\":[{\"region\":\"us-west-2\",\"registryId\":\"" + ACCOUNT + "\"}]}]";
    static final String TO_EAST = "[{\"destinations\":[{\"region\":\"us-east-1\",\"registryId\":\"" + ACCOUNT + "\"}]}]";

    @TempDir
    Path dir;
    private Deployment east;
    private Deployment west;

    @AfterEach
    void stop() {
        for (Deployment d : new Deployment[] {east, west}) {
            if (d != null) {
                d.close();
            }
        }
    }

    private Deployment startWest(int port, String regionsFile) throws Exception {
        Map<String, String> settings = regionsFile == null
                ? Map.of("auth.enabled", "true", "listen", "127.0.0.1:" + port, "repositories.create-on-push", "false")
                : Map.of("auth.enabled", "true", "listen", "127.0.0.1:" + port, "replication.regions-file", regionsFile,
                        "repositories.create-on-push", "false");
        Deployment d = Deployment.start(dir.resolve("west"), "us-west-2", settings,
                Map.of(AuthSetup.ENV_ROOT_KEY_ID, KEY, AuthSetup.ENV_ROOT_SECRET, SECRET));
        d.authorization = "Basic " + d.backend.auth().issueRegistryToken(Principal.root(ACCOUNT)).authorizationToken();
        return d;
    }

    private Deployment startEast(int westPort, String secret, Map<String, String> extra) throws Exception {
        Path secretFile = Files.writeString(dir.resolve("west.secret"), secret + "\n");
        Path regions = Files.writeString(dir.resolve("regions-east.json"), "{\"us-west-2\":{\"endpoint\":\"http://127.0.0.1:"
                + westPort + "\",\"access-key-id\":\"" + KEY + "\",\"secret-access-key-file\":\"" + secretFile + "\"}}");
        Map<String, String> settings = new java.util.HashMap<>(Map.of("replication.regions-file", regions.toString()));
        settings.putAll(extra);
        Deployment d = Deployment.start(dir.resolve("east"), "us-east-1", settings, Map.of());
        HttpResponse<String> r = d.ecr("PutReplicationConfiguration", "{\"replicationConfiguration\":{\"rules\":" + TO_WEST + "}}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return d;
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static Optional<Task> task(Deployment d, String repo, Digest digest) {
        Optional<Repository> r = d.backend.registry().metadata().findRepository(ACCOUNT, new RepositoryName(repo));
        return r.flatMap(x -> d.backend.registry().metadata().replication().tasks(x.id(), digest).stream().findFirst());
    }

    private static boolean has(Task t, Status status) {
        return t.status() == status;
    }

    @Test
    void anIndexAndItsSignaturePushedInOneRegionPullFromTheOtherWithTheSameDigestsAndAreNotRelayedBack() throws Exception {
        int westPort = freePort();
        Path eastRegions = Files.writeString(dir.resolve("regions-west.json"), "{\"us-east-1\":{\"endpoint\":\"http://127.0.0.1:1\"}}");
        west = startWest(westPort, eastRegions.toString());
        west.backend.registry().metadata().replication().putConfiguration(ACCOUNT, "{\"rules\":" + TO_EAST + "}", java.time.Instant.now());
        east = startEast(westPort, SECRET, Map.of());

        byte[] amd = east.pushImage("team/app", "amd");
        byte[] arm = east.pushImage("team/app", "arm");
        byte[] index = ("{\"schemaVersion\":2,\"mediaType\":\"" + Fixtures.OCI_INDEX + "\",\"manifests\":["
                + Fixtures.descriptor(Fixtures.OCI_MANIFEST, amd) + "," + Fixtures.descriptor(Fixtures.OCI_MANIFEST, arm) + "]}")
                .getBytes(UTF_8);
        Digest indexDigest = east.putManifest("team/app", "v1", Fixtures.OCI_INDEX, index);
        byte[] empty = "{}".getBytes(UTF_8);
        byte[] sbom = "{\"spdxVersion\":\"SPDX-2.3\"}".getBytes(UTF_8);
        east.pushBlob("team/app", empty);
        east.pushBlob("team/app", sbom);
        byte[] referrer = ("{\"schemaVersion\":2,\"mediaType\":\"" + Fixtures.OCI_MANIFEST + "\",\"artifactType\":\"application/spdx+json\","
                + "\"config\":" + Fixtures.descriptor("application/vnd.oci.empty.v1+json", empty) + ",\"layers\":["
                + Fixtures.descriptor("application/spdx+json", sbom) + "],\"subject\":"
                + Fixtures.descriptor(Fixtures.OCI_INDEX, index) + "}").getBytes(UTF_8);
        Digest referrerDigest = east.putManifest("team/app", Digest.sha256Of(referrer).toString(), Fixtures.OCI_MANIFEST, referrer);

        // the referrer was pushed after the index: its own task may carry it, so both must have completed
        for (Digest d : List.of(indexDigest, referrerDigest)) {
            await("replicated: " + d, () -> task(east, "team/app", d).filter(t -> has(t, Status.COMPLETE)).isPresent());
        }
        HttpResponse<String> pulled = west.send("GET", "/v2/team/app/manifests/v1", null, "Accept", Fixtures.OCI_INDEX);
        assertThat(pulled.statusCode()).as(pulled.body()).isEqualTo(200);
        assertThat(pulled.headers().firstValue("Docker-Content-Digest")).contains(indexDigest.toString());
        assertThat(pulled.body().getBytes(UTF_8)).isEqualTo(index);
        for (byte[] m : List.of(amd, arm, referrer)) {
            HttpResponse<String> r = west.send("GET", "/v2/team/app/manifests/" + Fixtures.digest(m), null,
                    "Accept", Fixtures.OCI_MANIFEST);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        }
        HttpResponse<String> blob = west.send("GET", "/v2/team/app/blobs/" + Fixtures.digest(sbom), null);
        assertThat(blob.body()).isEqualTo(new String(sbom, UTF_8));
        HttpResponse<String> referrers = west.send("GET", "/v2/team/app/referrers/" + indexDigest, null);
        assertThat(referrers.body()).contains(referrerDigest.toString());

        Thread.sleep(500); // west's subscriber and job have seen the replicated pushes by now
        for (byte[] m : List.of(index, amd, arm, referrer)) {
            assertThat(task(west, "team/app", Digest.sha256Of(m))).as("not relayed back").isEmpty();
        }
        west.backend.registry().repositories().create(new io.wharf.core.service.RepoKey(ACCOUNT,
                RepositoryName.parse("west/own")), io.wharf.core.model.RepositorySettings.DEFAULTS, Map.of());
        Digest own = Digest.sha256Of(west.pushImage("west/own", "v1"));
        await("west's own image queued", () -> task(west, "west/own", own).isPresent());
    }

    @Test
    void aDestinationThatIsDownIsRetriedWithBackoffUntilItComesBack() throws Exception {
        int westPort = freePort();
        east = startEast(westPort, SECRET, Map.of("replication.max-attempts", "50"));
        Digest digest = Digest.sha256Of(east.pushImage("app", "v1"));
        await("a failed attempt", () -> task(east, "app", digest).filter(t -> t.attempts() >= 2 && t.failure() != null).isPresent());
        Task waiting = task(east, "app", digest).orElseThrow();
        assertThat(waiting.status()).isEqualTo(Status.IN_PROGRESS);
        assertThat(waiting.failure()).startsWith("UNAVAILABLE");
        west = startWest(westPort, null);
        await("replicated after the destination came back", () -> task(east, "app", digest)
                .filter(t -> has(t, Status.COMPLETE)).isPresent());
        assertThat(west.send("GET", "/v2/app/manifests/v1", null, "Accept", Fixtures.OCI_MANIFEST).statusCode()).isEqualTo(200);
    }

    @Test
    void refusedCredentialsFailAtOnceWithTheReason() throws Exception {
        int westPort = freePort();
        west = startWest(westPort, null);
        east = startEast(westPort, "not-the-secret-not-the-secret-not-the-secret", Map.of());
        Digest digest = Digest.sha256Of(east.pushImage("app", "v1"));
        await("failed", () -> task(east, "app", digest).filter(t -> has(t, Status.FAILED)).isPresent());
        Task failed = task(east, "app", digest).orElseThrow();
        assertThat(failed.attempts()).isEqualTo(1);
        assertThat(failed.failure()).startsWith("ACCESS_DENIED").doesNotContain("not-the-secret");
        HttpResponse<String> r = east.ecr("DescribeImageReplicationStatus",
                "{\"repositoryName\":\"app\",\"imageId\":{\"imageTag\":\"v1\"}}");
        assertThat(r.body()).contains("\"status\":\"FAILED\"").contains("\"region\":\"us-west-2\"").contains("ACCESS_DENIED");
    }
}
