package io.wharf.server.remote;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.core.model.Digest;
import io.wharf.core.model.MediaTypes;
import io.wharf.core.remote.RemoteBlob;
import io.wharf.core.remote.RemoteCredentials;
import io.wharf.core.remote.RemoteException;
import io.wharf.core.remote.RemoteManifest;
import io.wharf.core.remote.RemoteRegistry;
import io.wharf.server.app.Application;
import io.wharf.server.app.Backend;
import io.wharf.server.app.Wiring;
import io.wharf.server.auth.AuthSetup;
import io.wharf.server.config.WharfConfig;
import io.wharf.server.oci.Fixtures;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client against a real Wharf with IAM on ({@code auth.enabled: true}, the production wiring): AWS keys buy an
 * ECR token with a SigV4-signed GetAuthorizationToken, sent as Basic {@code AWS:<token>}. A TCP relay in front
 * counts the GetAuthorizationToken calls.
 */
class EcrTokenRemoteTest {
    static final String ROOT_ID = "AKIAROOTROOTROOTROOT";
    static final String ROOT_SECRET = "rootrootrootrootrootrootrootrootrootroot";
    /** Short, so that renewal is seen: the client renews a quarter of the lifetime early. */
    static final Duration TOKEN_TTL = Duration.ofSeconds(4);
    static final RemoteCredentials.AwsKeys KEYS = new RemoteCredentials.AwsKeys(ROOT_ID, ROOT_SECRET, "us-east-1");

    @TempDir
    Path data;
    private Application app;
    private CountingProxy proxy;
    private HttpRemoteRegistries remotes;

    @BeforeEach
    void start() throws Exception {
        WharfConfig config = WharfConfig.defaults().withData(data).withListen(new WharfConfig.Listen("127.0.0.1", 0))
                .withAuth(new WharfConfig.AuthSettings(true, TOKEN_TTL)).withShutdownTimeout(Duration.ofSeconds(2));
        Backend backend = Wiring.open(config, Map.of(AuthSetup.ENV_ROOT_KEY_ID, ROOT_ID, AuthSetup.ENV_ROOT_SECRET,
                ROOT_SECRET), new PrintWriter(new StringWriter(), true));
        app = Application.start(config, backend, registry -> Wiring.api(registry, config, backend.auth()));
        proxy = new CountingProxy(app.server().uri().getPort(), Authenticator.ECR_TARGET);
        remotes = new HttpRemoteRegistries(WharfConfig.defaults().remote());
    }

    @AfterEach
    void stop() throws Exception {
        remotes.close();
        proxy.close();
        app.stop();
    }

    private URI endpoint() {
        return URI.create("http://127.0.0.1:" + proxy.port());
    }

    private static byte[] image(byte[] config, byte[]... layers) {
        return Fixtures.manifest(config, layers);
    }

    private static void pushBlobs(RemoteRegistry r, String repo, byte[]... blobs) throws RemoteException {
        for (byte[] b : blobs) {
            r.pushBlob(repo, Digest.sha256Of(b), b.length, new ByteArrayInputStream(b));
        }
    }

    @Test
    void pushesAndPullsAMultiLayerImageAndAnIndex() throws Exception {
        RemoteRegistry r = remotes.open(endpoint(), KEYS);
        byte[] amdConfig = "{\"architecture\":\"amd64\",\"os\":\"linux\"}".getBytes(UTF_8);
        byte[][] amdLayers = {Fixtures.randomBytes(3 << 20), Fixtures.randomBytes(1000), new byte[0]};
        pushBlobs(r, "team/app", amdConfig);
        pushBlobs(r, "team/app", amdLayers);
        byte[] amd = image(amdConfig, amdLayers);
        Digest amdDigest = Digest.sha256Of(amd);
        r.pushManifest("team/app", amdDigest.toString(), MediaTypes.OCI_MANIFEST, amd);
        byte[] armConfig = "{\"architecture\":\"arm64\",\"os\":\"linux\"}".getBytes(UTF_8);
        byte[] armLayer = Fixtures.randomBytes(5000);
        pushBlobs(r, "team/app", armConfig, armLayer);
        byte[] arm = image(armConfig, armLayer);
        r.pushManifest("team/app", "arm", MediaTypes.OCI_MANIFEST, arm);
        byte[] index = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":["
                + Fixtures.descriptor(MediaTypes.OCI_MANIFEST, amd) + "," + Fixtures.descriptor(MediaTypes.OCI_MANIFEST, arm)
                + "]}").getBytes(UTF_8);
        r.pushManifest("team/app", "v1", MediaTypes.OCI_INDEX, index);

        RemoteManifest pulled = r.manifest("team/app", "v1").orElseThrow();
        assertThat(pulled.mediaType()).isEqualTo(MediaTypes.OCI_INDEX);
        assertThat(pulled.body()).isEqualTo(index);
        assertThat(pulled.digest()).isEqualTo(Digest.sha256Of(index));
        assertThat(r.resolve("team/app", "v1")).contains(Digest.sha256Of(index));
        RemoteManifest child = r.manifest("team/app", amdDigest.toString()).orElseThrow();
        assertThat(child.body()).isEqualTo(amd);
        assertThat(child.mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
        for (byte[] blob : new byte[][] {amdConfig, amdLayers[0], amdLayers[1], amdLayers[2], armConfig, armLayer}) {
            assertThat(r.hasBlob("team/app", Digest.sha256Of(blob))).isTrue();
            try (RemoteBlob b = r.blob("team/app", Digest.sha256Of(blob)).orElseThrow()) {
                assertThat(b.size()).isEqualTo(blob.length);
                assertThat(b.content().readAllBytes()).isEqualTo(blob);
            }
        }
        Digest absent = Digest.sha256Of("absent".getBytes(UTF_8));
        assertThat(r.hasBlob("team/app", absent)).isFalse();
        assertThat(r.blob("team/app", absent)).isEmpty();
        assertThat(r.manifest("team/app", "nope")).isEmpty();
        assertThat(r.resolve("team/app", "nope")).isEmpty();
        assertThat(r.manifest("other/repo", "v1")).isEmpty();
        pushBlobs(r, "team/app", armLayer); // already there: a HEAD, no upload
        r.ping();
    }

    @Test
    void oneAuthorizationTokenServesManyCallsAndLaterOpens() throws Exception {
        RemoteRegistry r = remotes.open(endpoint(), KEYS);
        byte[] layer = Fixtures.randomBytes(100);
        pushBlobs(r, "app", layer);
        for (int i = 0; i < 20; i++) {
            assertThat(r.hasBlob("app", Digest.sha256Of(layer))).isTrue();
        }
        assertThat(remotes.open(endpoint(), KEYS).hasBlob("app", Digest.sha256Of(layer))).isTrue();
        assertThat(proxy.count.get()).isEqualTo(1);

        Thread.sleep(TOKEN_TTL.minus(TOKEN_TTL.dividedBy(4)).toMillis() + 200); // past the renewal point, before expiry
        assertThat(r.hasBlob("app", Digest.sha256Of(layer))).isTrue();
        assertThat(proxy.count.get()).isEqualTo(2);
    }

    @Test
    void aWrongSecretIsAccessDeniedAndNeverEchoed() {
        String secret = "wrongwrongwrongwrongwrongwrongwrongwrong";
        RemoteRegistry r = remotes.open(endpoint(), new RemoteCredentials.AwsKeys(ROOT_ID, secret, "us-east-1"));
        assertThatThrownBy(() -> r.manifest("app", "latest"))
                .isInstanceOfSatisfying(RemoteException.class, e -> {
                    assertThat(e.kind()).isEqualTo(RemoteException.Kind.ACCESS_DENIED);
                    assertThat(e.getMessage()).doesNotContain(secret).containsAnyOf("400", "403");
                });
        assertThatThrownBy(r::ping).isInstanceOfSatisfying(RemoteException.class,
                e -> assertThat(e.kind()).isEqualTo(RemoteException.Kind.ACCESS_DENIED));
    }

    @Test
    void withoutCredentialsAnIamRegistryIsAccessDenied() {
        RemoteRegistry r = remotes.open(endpoint(), RemoteCredentials.ANONYMOUS);
        assertThatThrownBy(() -> r.resolve("app", "latest")).isInstanceOfSatisfying(RemoteException.class,
                e -> assertThat(e.kind()).isEqualTo(RemoteException.Kind.ACCESS_DENIED));
        assertThat(proxy.count.get()).isZero();
    }
}
