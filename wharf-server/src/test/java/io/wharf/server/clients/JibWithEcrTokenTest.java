package io.wharf.server.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.service.RepoKey;
import io.wharf.server.app.Application;
import io.wharf.server.app.Backend;
import io.wharf.server.app.TestCerts;
import io.wharf.server.app.Wiring;
import io.wharf.server.auth.AuthSetup;
import io.wharf.server.config.WharfConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecr.EcrClient;

/**
 * Jib with ECR credentials, as an Amazon ECR user configures it: the password from
 * GetAuthorizationToken (called with the AWS SDK, SigV4-signed) as user {@code AWS}, against a
 * Wharf with authentication on, over TLS (Jib never sends credentials over plain HTTP). Without
 * credentials Jib is refused.
 */
class JibWithEcrTokenTest {
    static final String ROOT_ID = "AKIAJIBTESTROOT00001";
    static final String ROOT_SECRET = "jibjibjibjibjibjibjibjibjibjibjibjibjibj";

    @TempDir
    Path tmp;
    private Application app;
    private Backend backend;

    @BeforeEach
    void start() throws Exception {
        TestCerts.Pair certs = TestCerts.rsa(Files.createDirectories(tmp.resolve("certs")));
        WharfConfig config = WharfConfig.defaults().withData(tmp.resolve("data"))
                .withListen(new WharfConfig.Listen("127.0.0.1", 0))
                .withAuth(new WharfConfig.AuthSettings(true)).withShutdownTimeout(Duration.ofSeconds(2))
                .withTls(Optional.of(new WharfConfig.Tls(certs.cert(), certs.key())));
        backend = Wiring.open(config, Map.of(AuthSetup.ENV_ROOT_KEY_ID, ROOT_ID, AuthSetup.ENV_ROOT_SECRET, ROOT_SECRET),
                new PrintWriter(new StringWriter(), true));
        Backend b = backend;
        app = Application.start(config, backend, registry -> Wiring.api(registry, config, b.auth()));
    }

    @AfterEach
    void stop() {
        app.stop();
    }

    @Test
    void jibPushesAndPullsWithTheEcrLoginPassword() throws Exception {
        String password = loginPassword();
        Path file = Files.writeString(Files.createDirectories(tmp.resolve("files")).resolve("hello.txt"), "hello");
        JibContainer pushed = Jib.fromScratch().addLayer(List.of(file), AbsoluteUnixPath.get("/data"))
                .setCreationTime(Instant.EPOCH)
                .containerize(containerizer(Containerizer.to(RegistryImage.named(ref("jib/ecr:1")).addCredential("AWS", password))));

        Path tar = tmp.resolve("pulled.tar");
        JibContainer pulled = Jib.from(RegistryImage.named(ref("jib/ecr:1")).addCredential("AWS", password))
                .containerize(containerizer(Containerizer.to(TarImage.at(tar).named("pulled:1"))));
        assertThat(pulled.getImageId()).isEqualTo(pushed.getImageId());
        assertThat(Files.size(tar)).isPositive();
    }

    @Test
    void jibWithoutCredentialsIsRefused() throws Exception {
        Path file = Files.writeString(Files.createDirectories(tmp.resolve("files")).resolve("x.txt"), "x");
        assertThatThrownBy(() -> Jib.fromScratch().addLayer(List.of(file), AbsoluteUnixPath.get("/data"))
                .containerize(containerizer(Containerizer.to(RegistryImage.named(ref("jib/anon:1"))))))
                .hasStackTraceContaining("401");
    }

    /**
     * Once a repository is public the ping challenges for Bearer (docs/public-repositories.md): Jib then takes its
     * token from {@code /v2/token}, with the ECR password to push, and with nothing to pull the public repository.
     */
    @Test
    void jibFollowsTheBearerFlowOnceARepositoryIsPublic() throws Exception {
        String password = loginPassword();
        Path file = Files.writeString(Files.createDirectories(tmp.resolve("files")).resolve("p.txt"), "public");
        for (String image : new String[] {"jib/pub:1", "jib/private:1"}) {
            Jib.fromScratch().addLayer(List.of(file), AbsoluteUnixPath.get("/data")).setCreationTime(Instant.EPOCH)
                    .containerize(containerizer(Containerizer.to(RegistryImage.named(ref(image)).addCredential("AWS", password))));
        }
        backend.registry().gallery().setPublic(new RepoKey("000000000000", new RepositoryName("jib/pub")), true);

        JibContainer pushed = Jib.fromScratch().addLayer(List.of(file), AbsoluteUnixPath.get("/other"))
                .setCreationTime(Instant.EPOCH)
                .containerize(containerizer(Containerizer.to(RegistryImage.named(ref("jib/pub:2")).addCredential("AWS", password))));
        JibContainer pulled = Jib.from(RegistryImage.named(ref("jib/pub:2")))
                .containerize(containerizer(Containerizer.to(TarImage.at(tmp.resolve("anonymous.tar")).named("p:2"))));
        assertThat(pulled.getImageId()).isEqualTo(pushed.getImageId());
        assertThatThrownBy(() -> Jib.from(RegistryImage.named(ref("jib/private:1")))
                .containerize(containerizer(Containerizer.to(TarImage.at(tmp.resolve("private.tar")).named("q:1")))))
                .hasStackTraceContaining("401");
    }

    /** What {@code aws ecr get-login-password} prints: the token decoded, after "AWS:". */
    private String loginPassword() {
        try (EcrClient ecr = EcrClient.builder()
                .endpointOverride(URI.create("https://127.0.0.1:" + port()))
                .httpClient(software.amazon.awssdk.http.apache.ApacheHttpClient.builder()
                        .tlsTrustManagersProvider(() -> new javax.net.ssl.TrustManager[] {TRUST_ALL}).build())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ROOT_ID, ROOT_SECRET)))
                .build()) {
            String token = ecr.getAuthorizationToken().authorizationData().getFirst().authorizationToken();
            String decoded = new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8);
            assertThat(decoded).startsWith("AWS:");
            return decoded.substring(4);
        }
    }

    /** The test's own self-signed certificate; only this test's SDK client trusts everything. */
    private static final javax.net.ssl.X509TrustManager TRUST_ALL = new javax.net.ssl.X509TrustManager() {
        @Override
        public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType) {
        }

        @Override
        public java.security.cert.X509Certificate[] getAcceptedIssuers() {
            return new java.security.cert.X509Certificate[0];
        }
    };

    private Containerizer containerizer(Containerizer c) {
        return c.setAllowInsecureRegistries(true)
                .setBaseImageLayersCache(tmp.resolve("base-cache"))
                .setApplicationLayersCache(tmp.resolve("app-cache"));
    }

    private int port() {
        return app.server().uri().getPort();
    }

    private String ref(String repoAndTag) {
        return "127.0.0.1:" + port() + "/" + repoAndTag;
    }
}
