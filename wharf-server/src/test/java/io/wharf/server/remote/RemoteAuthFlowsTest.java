package io.wharf.server.remote;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.core.model.Digest;
import io.wharf.core.model.MediaTypes;
import io.wharf.core.remote.RemoteBlob;
import io.wharf.core.remote.RemoteCredentials;
import io.wharf.core.remote.RemoteException;
import io.wharf.core.remote.RemoteRegistry;
import io.wharf.server.config.WharfConfig;
import io.wharf.server.oci.Fixtures;
import io.wharf.server.oci.TestRegistry;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Both challenge flows against {@link RemoteGate} (a Basic gate, a Bearer token realm) in front of a real Wharf. */
class RemoteAuthFlowsTest {
    private static final RemoteCredentials GOOD = new RemoteCredentials.Password("gate-user", "gate-secret");
    private TestRegistry upstream;
    private RemoteGate gate;
    private HttpRemoteRegistries remotes;

    @BeforeEach
    void start() throws Exception {
        upstream = new TestRegistry();
        gate = new RemoteGate(upstream.port);
        remotes = new HttpRemoteRegistries(WharfConfig.defaults().remote());
    }

    @AfterEach
    void stop() throws Exception {
        remotes.close();
        gate.close();
        upstream.close();
    }

    /** Pushes a two-layer image as {@code repo:tag} through the client, then pulls all of it back. */
    private static void roundTrip(RemoteRegistry r, String repo, String tag) throws Exception {
        byte[] config = "{\"os\":\"linux\"}".getBytes(UTF_8);
        byte[][] layers = {Fixtures.randomBytes(2000), Fixtures.randomBytes(70_000)};
        for (byte[] b : new byte[][] {config, layers[0], layers[1]}) {
            r.pushBlob(repo, Digest.sha256Of(b), b.length, new ByteArrayInputStream(b));
        }
        byte[] manifest = Fixtures.manifest(config, layers);
        r.pushManifest(repo, tag, MediaTypes.OCI_MANIFEST, manifest);
        assertThat(r.manifest(repo, tag).orElseThrow().body()).isEqualTo(manifest);
        assertThat(r.resolve(repo, tag)).contains(Digest.sha256Of(manifest));
        try (RemoteBlob blob = r.blob(repo, Digest.sha256Of(layers[1])).orElseThrow()) {
            assertThat(blob.content().readAllBytes()).isEqualTo(layers[1]);
        }
    }

    private static void assertKind(RemoteException.Kind kind, org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(RemoteException.class, e -> assertThat(e.kind()).isEqualTo(kind));
    }

    @Test
    void basicGateTakesThePasswordAndRefusesOthers() throws Exception {
        gate.guard = RemoteGate.Guard.BASIC;
        roundTrip(remotes.open(gate.endpoint(), GOOD), "app", "v1");
        remotes.open(gate.endpoint(), GOOD).ping();
        assertThat(gate.refusedCredentials.get()).isZero();

        RemoteRegistry wrong = remotes.open(gate.endpoint(), new RemoteCredentials.Password("gate-user", "nope-secret"));
        assertKind(RemoteException.Kind.ACCESS_DENIED, () -> wrong.manifest("app", "v1"));
        assertThat(gate.refusedCredentials.get()).isEqualTo(1); // refused once, not retried with the same password
        assertKind(RemoteException.Kind.ACCESS_DENIED, () -> remotes.open(gate.endpoint(), RemoteCredentials.ANONYMOUS).ping());
    }

    @Test
    void bearerRealmHandsOutOneTokenPerScopeAndTheClientReusesThem() throws Exception {
        gate.guard = RemoteGate.Guard.BEARER;
        RemoteRegistry r = remotes.open(gate.endpoint(), GOOD);
        roundTrip(r, "team/app", "v1");
        assertThat(gate.tokenScopes).containsExactlyInAnyOrder("repository:team/app:pull,push", "repository:team/app:pull");
        for (int i = 0; i < 10; i++) {
            assertThat(r.manifest("team/app", "v1")).isPresent();
        }
        assertThat(gate.tokenGrants.get()).isEqualTo(2);
        assertThat(gate.refusedCredentials.get()).isZero();
        r.ping(); // the base endpoint: a token without a scope
        assertThat(gate.tokenScopes).contains("null");
    }

    @Test
    void bearerTokensAreRenewedBeforeTheyExpireAndAfterTheyAreRevoked() throws Exception {
        gate.guard = RemoteGate.Guard.BEARER;
        gate.tokenTtl = Duration.ofSeconds(2);
        Fixtures.pushImage(upstream, "app", "v1");
        RemoteRegistry r = remotes.open(gate.endpoint(), GOOD);
        assertThat(r.manifest("app", "v1")).isPresent();
        assertThat(gate.tokenGrants.get()).isEqualTo(1);
        Thread.sleep(1_700); // past the renewal point (a quarter early), before expiry
        assertThat(r.manifest("app", "v1")).isPresent();
        assertThat(gate.tokenGrants.get()).isEqualTo(2);
        assertThat(gate.refusedCredentials.get()).isZero(); // renewed ahead, never sent a stale token

        gate.revokeTokens(); // the registry forgot them: one 401, a new token, success
        assertThat(r.manifest("app", "v1")).isPresent();
        assertThat(gate.refusedCredentials.get()).isEqualTo(1);
        assertThat(gate.tokenGrants.get()).isEqualTo(3);
    }

    @Test
    void anonymousBearerTokensServeAnonymousPulls() throws Exception {
        gate.guard = RemoteGate.Guard.BEARER;
        gate.anonymousTokens = true;
        byte[] manifest = Fixtures.pushImage(upstream, "library/busybox", "latest");
        RemoteRegistry r = remotes.open(gate.endpoint(), RemoteCredentials.ANONYMOUS);
        assertThat(r.manifest("library/busybox", "latest").orElseThrow().body()).isEqualTo(manifest);

        gate.anonymousTokens = false;
        gate.revokeTokens();
        assertKind(RemoteException.Kind.ACCESS_DENIED, () -> r.manifest("library/busybox", "latest"));
    }

    @Test
    void aTokenServiceRefusingTheCredentialsIsAccessDenied() {
        gate.guard = RemoteGate.Guard.BEARER;
        RemoteRegistry r = remotes.open(gate.endpoint(), new RemoteCredentials.Password("gate-user", "wrong"));
        assertKind(RemoteException.Kind.ACCESS_DENIED, () -> r.manifest("app", "v1"));
        assertThat(gate.tokenGrants.get()).isZero();
    }

    @Test
    void blobRedirectsToAnotherHostCarryNoCredentials() throws Exception {
        gate.guard = RemoteGate.Guard.BASIC;
        gate.redirectBlobs = true;
        byte[] layer = Fixtures.randomBytes(10_000);
        Fixtures.pushBlob(upstream, "app", layer);
        RemoteRegistry r = remotes.open(gate.endpoint(), GOOD, java.util.Map.of("X-Wharf-Replicated-From", "eu-west-1/111111111111"));
        try (RemoteBlob blob = r.blob("app", Digest.sha256Of(layer)).orElseThrow()) {
            assertThat(blob.content().readAllBytes()).isEqualTo(layer);
        }
        assertThat(gate.storageHits).hasSize(1);
        assertThat(gate.storageAuthorizations).containsExactly("null");
        assertThat(r.hasBlob("app", Digest.sha256Of(layer))).isTrue(); // a HEAD: the redirect itself says it exists
    }
}
