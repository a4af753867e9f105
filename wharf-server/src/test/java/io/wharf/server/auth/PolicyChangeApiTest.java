package io.wharf.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.server.app.Application;
import io.wharf.server.app.Backend;
import io.wharf.server.app.Wiring;
import io.wharf.server.cli.IamCli;
import io.wharf.server.config.WharfConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.EcrException;

/**
 * Repository and registry policy changes made through the ECR API decide the very next request on the
 * node that made them, through the real wiring (SQLite, IamAuth, the AWS SDK's EcrClient).
 */
class PolicyChangeApiTest {
    private static final String ALLOW_ALL = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecr:*","Resource":"*"}]}""";
    private static final String DENY_OPS = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":{"AWS":"arn:aws:iam::000000000000:user/ops"},
             "Action":"ecr:*"}]}""";

    @TempDir
    Path data;
    private Application app;
    private EcrClient root;
    private EcrClient ops;

    @BeforeEach
    void start() throws Exception {
        WharfConfig config = WharfConfig.defaults().withData(data).withListen(new WharfConfig.Listen("127.0.0.1", 0))
                .withAuth(new WharfConfig.AuthSettings(true)).withShutdownTimeout(Duration.ofSeconds(2));
        Map<String, String> env = Map.of(AuthSetup.ENV_ROOT_KEY_ID, RegistryAuthApiTest.ROOT_ID,
                AuthSetup.ENV_ROOT_SECRET, RegistryAuthApiTest.ROOT_SECRET);
        Backend backend = Wiring.open(config, env, new PrintWriter(new StringWriter(), true));
        app = Application.start(config, backend, registry -> Wiring.api(registry, config, backend.auth()));
        root = client(RegistryAuthApiTest.ROOT_ID, RegistryAuthApiTest.ROOT_SECRET);
        iam("create-user", "ops");
        Path policy = Files.writeString(data.resolve("allow.json"), ALLOW_ALL);
        iam("put-user-policy", "ops", "all", policy.toString());
        String[] key = iam("create-access-key", "ops").lines().map(l -> l.substring(l.indexOf('=') + 1)).toArray(String[]::new);
        ops = client(key[0], key[1]);
    }

    @AfterEach
    void stop() {
        root.close();
        ops.close();
        app.stop();
    }

    @Test
    void aRepositoryPolicyDenyAppliesToTheNextRequest() {
        root.createRepository(b -> b.repositoryName("guarded/app"));
        assertDenied(false, () -> ops.describeRepositories(b -> b.repositoryNames("guarded/app"))); // policy read: none
        root.setRepositoryPolicy(b -> b.repositoryName("guarded/app").policyText(DENY_OPS));
        assertDenied(true, () -> ops.deleteRepositoryPolicy(b -> b.repositoryName("guarded/app")));
        assertThat(root.getRepositoryPolicy(b -> b.repositoryName("guarded/app")).policyText()).isEqualTo(DENY_OPS);

        root.deleteRepositoryPolicy(b -> b.repositoryName("guarded/app"));
        assertDenied(false, () -> ops.describeRepositories(b -> b.repositoryNames("guarded/app")));
        root.setRepositoryPolicy(b -> b.repositoryName("guarded/app").policyText(DENY_OPS));
        assertDenied(true, () -> ops.describeRepositories(b -> b.repositoryNames("guarded/app")));
        root.deleteRepository(b -> b.repositoryName("guarded/app").force(true));
        root.createRepository(b -> b.repositoryName("guarded/app")); // a new repository: no policy
        assertDenied(false, () -> ops.describeRepositories(b -> b.repositoryNames("guarded/app")));
    }

    @Test
    void aRegistryPolicyDenyAppliesToTheNextRequest() {
        root.createRepository(b -> b.repositoryName("guarded/reg"));
        assertDenied(false, () -> ops.listImages(b -> b.repositoryName("guarded/reg")));
        String deny = DENY_OPS.replace("\"Action\":\"ecr:*\"", "\"Action\":\"ecr:*\",\"Resource\":\"*\"");
        root.putRegistryPolicy(b -> b.policyText(deny));
        assertDenied(true, () -> ops.listImages(b -> b.repositoryName("guarded/reg")));
        root.deleteRegistryPolicy(b -> { });
        assertDenied(false, () -> ops.listImages(b -> b.repositoryName("guarded/reg")));
    }

    /** `wharf iam` is another process; its changes still decide this server's next request. */
    @Test
    void identityChangesByWharfIamApplyToTheNextRequest() {
        root.createRepository(b -> b.repositoryName("guarded/iam"));
        assertDenied(false, () -> ops.listImages(b -> b.repositoryName("guarded/iam"))); // identity policies cached
        iam("delete-user-policy", "ops", "all");
        assertDenied(true, () -> ops.listImages(b -> b.repositoryName("guarded/iam")));

        String keyId = iam("list-access-keys", "ops").lines().filter(l -> l.contains("AKIA")).findFirst().orElseThrow()
                .replaceAll(".*(AKIA[A-Z0-9]{16}).*", "$1");
        iam("delete-access-key", keyId);
        assertThatThrownBy(() -> ops.listImages(b -> b.repositoryName("guarded/iam"))).isInstanceOfSatisfying(
                EcrException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnrecognizedClientException"));
    }

    private static void assertDenied(boolean denied, Runnable call) {
        if (denied) {
            assertThatThrownBy(call::run).isInstanceOfSatisfying(EcrException.class,
                    e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException"));
        } else {
            call.run();
        }
    }

    private EcrClient client(String id, String secret) {
        return EcrClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + app.server().uri().getPort()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(id, secret))).build();
    }

    private String iam(String... args) {
        return IamCli.run(data, args);
    }
}
