package io.wharf.server.pullthrough;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.model.Digest;
import io.wharf.core.remote.RemoteCredentials;
import io.wharf.core.remote.RemoteRegistry;
import io.wharf.core.secret.UpstreamSecret;
import io.wharf.server.config.WharfConfig;
import io.wharf.server.pullthrough.Images.Image;
import io.wharf.server.remote.HttpRemoteRegistries;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.ValidatePullThroughCacheRuleResponse;

/**
 * IAM on both sides: the upstream is another Wharf reached with ECR tokens bought with the AWS keys of the rule's
 * secret; at the cache, a first pull needs {@code ecr:BatchImportUpstreamImage} (and {@code ecr:CreateRepository}
 * for a new repository) besides the pull's own actions, and a cached image only the pull's.
 */
class PullThroughIamTest {
    private static final String PULL = """
            "ecr:BatchGetImage","ecr:GetDownloadUrlForLayer","ecr:GetAuthorizationToken\"""";

    @TempDir
    Path upstreamData;
    @TempDir
    Path cacheData;
    private final HttpRemoteRegistries client = new HttpRemoteRegistries(WharfConfig.Remote.DEFAULTS);
    private final HttpClient http = HttpClient.newHttpClient();
    private WharfNode upstream;
    private WharfNode cache;
    private RemoteRegistry up;
    private String arn;

    @BeforeEach
    void start() throws Exception {
        upstream = new WharfNode(upstreamData, true, client, c -> c);
        cache = new WharfNode(cacheData, true, client, c -> c.withPullThrough(
                new WharfConfig.PullThrough(Duration.ofHours(24), Duration.ofSeconds(5), 50, Duration.ZERO)));
        up = client.open(upstream.endpoint(), new RemoteCredentials.AwsKeys(WharfNode.ROOT_ID, WharfNode.ROOT_SECRET,
                upstream.config.region()));
        cache.secrets.put("ecr-pullthroughcache/up", new UpstreamSecret(WharfNode.ROOT_ID, WharfNode.ROOT_SECRET));
        cache.secrets.put("ecr-pullthroughcache/wrong", new UpstreamSecret(WharfNode.ROOT_ID, "x".repeat(40)));
        arn = "arn:aws:secretsmanager:" + cache.config.region() + ":" + cache.config.account()
                + ":secret:ecr-pullthroughcache/";
        try (EcrClient ecr = cache.root()) {
            ecr.createPullThroughCacheRule(b -> b.ecrRepositoryPrefix("up").upstreamRegistryUrl(upstream.endpoint().toString())
                    .upstreamRegistry("ecr").credentialArn(arn + "up"));
            ecr.createPullThroughCacheRule(b -> b.ecrRepositoryPrefix("bad").upstreamRegistryUrl(upstream.endpoint().toString())
                    .upstreamRegistry("ecr").credentialArn(arn + "wrong"));
        }
    }

    @AfterEach
    void stop() throws Exception {
        cache.close();
        upstream.close();
        client.close();
    }

    /** Basic {@code AWS:<token>} of the caller, as {@code docker login} with GetAuthorizationToken sends it. */
    private static String login(EcrClient ecr) {
        return "Basic " + ecr.getAuthorizationToken().authorizationData().getFirst().authorizationToken();
    }

    private HttpResponse<byte[]> get(String authorization, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(cache.endpoint() + path)).header("Authorization", authorization)
                .header("Accept", "application/vnd.oci.image.manifest.v1+json").build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private String user(String name, String actions) throws Exception {
        String[] key = cache.user(name, """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":[%s],"Resource":"*"}]}""".formatted(actions));
        try (EcrClient ecr = cache.ecr(key[0], key[1])) {
            return login(ecr);
        }
    }

    @Test
    void theUpstreamIsLoggedIntoWithEcrTokensAndValidated() throws Exception {
        Image image = Images.push(up, "team/app", "v1", "amd64", 200_000, 3000);
        String root;
        try (EcrClient ecr = cache.root()) {
            root = login(ecr);
            ValidatePullThroughCacheRuleResponse ok = ecr.validatePullThroughCacheRule(b -> b.ecrRepositoryPrefix("up"));
            assertThat(ok.isValid()).as(ok.failure()).isTrue();
            assertThat(ok.failure()).isNull();
            ValidatePullThroughCacheRuleResponse bad = ecr.validatePullThroughCacheRule(b -> b.ecrRepositoryPrefix("bad"));
            assertThat(bad.isValid()).isFalse();
            assertThat(bad.failure()).startsWith("ACCESS_DENIED").doesNotContain("x".repeat(40));
        }
        HttpResponse<byte[]> m = get(root, "/v2/up/team/app/manifests/v1");
        assertThat(m.statusCode()).isEqualTo(200);
        assertThat(m.body()).isEqualTo(image.manifest());
        for (byte[] blob : image.blobs()) {
            assertThat(get(root, "/v2/up/team/app/blobs/" + Digest.sha256Of(blob)).body()).isEqualTo(blob);
        }
        HttpResponse<byte[]> denied = get(root, "/v2/bad/team/app/manifests/v1");
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(new String(denied.body())).contains("DENIED").doesNotContain("x".repeat(40));
    }

    @Test
    void aFirstPullNeedsTheImportActionsAndACachedOneOnlyThePulls() throws Exception {
        Image image = Images.push(up, "team/app", "v1", "amd64", 5000);
        String puller = user("puller", PULL);
        String noCreate = user("nocreate", PULL + ",\"ecr:BatchImportUpstreamImage\"");
        String importer = user("importer", PULL + ",\"ecr:BatchImportUpstreamImage\",\"ecr:CreateRepository\"");

        assertThat(get(puller, "/v2/up/team/app/manifests/v1").statusCode()).isEqualTo(403);
        assertThat(get(noCreate, "/v2/up/team/app/manifests/v1").statusCode()).as("the repository is new").isEqualTo(403);
        assertThat(get(importer, "/v2/up/team/app/manifests/v1").statusCode()).isEqualTo(200);
        Digest layer = Digest.sha256Of(image.blobs().get(1));
        assertThat(get(noCreate, "/v2/up/team/app/blobs/" + layer).statusCode()).as("the repository exists now")
                .isEqualTo(200);
        assertThat(get(puller, "/v2/up/team/app/manifests/sha256:" + "1".repeat(64)).statusCode())
                .as("what is not cached needs the import action").isEqualTo(403);
        for (int i = 0; i < 100 && get(puller, "/v2/up/team/app/manifests/v1").statusCode() != 200; i++) {
            Thread.sleep(50);
        }
        assertThat(get(puller, "/v2/up/team/app/manifests/v1").body()).as("cached: a pull needs nothing more")
                .isEqualTo(image.manifest());
        assertThat(get(puller, "/v2/up/team/app/blobs/" + layer).body()).isEqualTo(image.blobs().get(1));
    }
}
