package io.wharf.server.remote;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.core.model.Digest;
import io.wharf.core.model.MediaTypes;
import io.wharf.core.remote.RemoteBlob;
import io.wharf.core.remote.RemoteCredentials;
import io.wharf.core.remote.RemoteException;
import io.wharf.core.remote.RemoteException.Kind;
import io.wharf.core.remote.RemoteRegistry;
import io.wharf.server.config.WharfConfig;
import io.wharf.server.oci.Fixtures;
import io.wharf.server.oci.TestRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Anonymous use of a Wharf without authentication, and every way a remote can fail, mapped to its kind. */
class RemoteFailureKindsTest {
    private static final WharfConfig.Remote FAST = new WharfConfig.Remote(Duration.ofSeconds(2), Duration.ofSeconds(1),
            4 << 20, 64 << 10, 5);
    private TestRegistry upstream;
    private RemoteGate gate;
    private HttpRemoteRegistries remotes;

    @BeforeEach
    void start() throws Exception {
        upstream = new TestRegistry();
        gate = new RemoteGate(upstream.port);
        remotes = new HttpRemoteRegistries(FAST);
    }

    @AfterEach
    void stop() throws Exception {
        remotes.close();
        gate.close();
        upstream.close();
    }

    private RemoteRegistry direct() {
        return remotes.open(URI.create("http://127.0.0.1:" + upstream.port), RemoteCredentials.ANONYMOUS);
    }

    private RemoteRegistry gated() {
        return remotes.open(gate.endpoint(), RemoteCredentials.ANONYMOUS);
    }

    private static void assertKind(Kind kind, ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(RemoteException.class, e -> assertThat(e.kind()).isEqualTo(kind));
    }

    @Test
    void anonymousPushIsWhatTheRegistryServes() throws Exception {
        RemoteRegistry r = direct();
        r.ping();
        byte[] config = "{}".getBytes(UTF_8);
        byte[] layer = Fixtures.randomBytes(4096);
        r.pushBlob("app", Digest.sha256Of(config), config.length, new ByteArrayInputStream(config));
        r.pushBlob("app", Digest.sha256Of(layer), layer.length, new ByteArrayInputStream(layer));
        byte[] manifest = Fixtures.manifest(config, layer);
        r.pushManifest("app", "v1", MediaTypes.OCI_MANIFEST, manifest);
        HttpResponse<byte[]> got = upstream.get("/v2/app/manifests/v1", "Accept", MediaTypes.OCI_MANIFEST);
        assertThat(got.body()).isEqualTo(manifest);
        assertThat(upstream.get("/v2/app/blobs/" + Digest.sha256Of(layer)).body()).isEqualTo(layer);
    }

    @Test
    void aManifestNotMatchingItsDigestIsInvalid() throws Exception {
        byte[] manifest = Fixtures.pushImage(upstream, "app", "v1");
        gate.tamperManifests = true;
        assertKind(Kind.INVALID, () -> gated().manifest("app", Digest.sha256Of(manifest).toString()));
        assertKind(Kind.INVALID, () -> gated().manifest("app", "v1")); // against Docker-Content-Digest
        assertThat(gated().resolve("app", "v1")).contains(Digest.sha256Of(manifest));
    }

    @Test
    void aBlobNotMatchingItsDigestFailsTheRead() throws Exception {
        byte[] layer = Fixtures.randomBytes(50_000);
        Fixtures.pushBlob(upstream, "app", layer);
        gate.tamperBlobs = true;
        try (RemoteBlob blob = gated().blob("app", Digest.sha256Of(layer)).orElseThrow()) {
            assertThatThrownBy(() -> blob.content().readAllBytes()).isInstanceOf(IOException.class)
                    .hasMessageContaining(Digest.sha256Of(layer).toString());
        }
    }

    @Test
    void anUnreachableRegistryIsUnavailableQuickly() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        RemoteRegistry r = remotes.open(URI.create("http://127.0.0.1:" + port), RemoteCredentials.ANONYMOUS);
        long start = System.nanoTime();
        assertKind(Kind.UNAVAILABLE, () -> r.manifest("app", "v1"));
        assertKind(Kind.UNAVAILABLE, r::ping);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void aStalledRegistryIsUnavailableAfterTheTimeout() throws Exception {
        Fixtures.pushImage(upstream, "app", "v1");
        gate.stall = Duration.ofMillis(2500);
        long start = System.nanoTime();
        assertKind(Kind.UNAVAILABLE, () -> gated().manifest("app", "v1"));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(took).isGreaterThanOrEqualTo(FAST.timeout()).isLessThan(Duration.ofMillis(2400));
    }

    @Test
    void rateLimitingIsTooManyRequests() throws Exception {
        Fixtures.pushImage(upstream, "app", "v1");
        gate.tooManyRequests = 1;
        assertKind(Kind.TOO_MANY_REQUESTS, () -> gated().manifest("app", "v1"));
        assertThat(gated().manifest("app", "v1")).isPresent();
        byte[] layer = Fixtures.randomBytes(1000);
        Fixtures.pushBlob(upstream, "app", layer);
        gate.tooManyRequests = 1; // a blob read by the plain-HTTP reader: one request, not asked again at once
        assertKind(Kind.TOO_MANY_REQUESTS, () -> gated().blob("app", Digest.sha256Of(layer)));
        try (RemoteBlob blob = gated().blob("app", Digest.sha256Of(layer)).orElseThrow()) {
            assertThat(blob.content().readAllBytes()).isEqualTo(layer);
        }
    }

    @Test
    void aServerErrorIsUnavailable() throws Exception {
        int dead;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            dead = s.getLocalPort();
        }
        try (RemoteGate broken = new RemoteGate(dead)) { // its upstream is gone: it answers 500
            RemoteRegistry r = remotes.open(broken.endpoint(), RemoteCredentials.ANONYMOUS);
            assertKind(Kind.UNAVAILABLE, () -> r.manifest("app", "v1"));
        }
    }

    @Test
    void aManifestOverTheCapIsInvalid() throws Exception {
        byte[] manifest = Fixtures.pushImage(upstream, "app", "v1");
        try (HttpRemoteRegistries small = new HttpRemoteRegistries(new WharfConfig.Remote(Duration.ofSeconds(2),
                Duration.ofSeconds(5), manifest.length - 1, 64 << 10, 5))) {
            RemoteRegistry r = small.open(URI.create("http://127.0.0.1:" + upstream.port), RemoteCredentials.ANONYMOUS);
            assertKind(Kind.INVALID, () -> r.manifest("app", "v1"));
        }
        assertThat(direct().manifest("app", "v1").orElseThrow().body()).isEqualTo(manifest);
    }

    @Test
    void badNamesAndEndpointsAreRefusedBeforeAnyRequest() {
        assertKind(Kind.INVALID, () -> direct().manifest("../etc", "v1"));
        assertKind(Kind.INVALID, () -> direct().manifest("app", "v1/../../x"));
        assertKind(Kind.INVALID, () -> direct().manifest("app", "sha256:abc"));
        assertKind(Kind.INVALID, () -> direct().blob("Upper", Digest.sha256Of(new byte[0])));
        assertThatThrownBy(() -> remotes.open(URI.create("ftp://127.0.0.1/"), RemoteCredentials.ANONYMOUS))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> remotes.open(URI.create("https://user:hunter2@registry.example"), RemoteCredentials.ANONYMOUS))
                .isInstanceOf(IllegalArgumentException.class).message().doesNotContain("hunter2");
        assertThatThrownBy(() -> remotes.open(URI.create("https://registry.example/v2/"), RemoteCredentials.ANONYMOUS))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aBlobPushedWithTheWrongDigestIsInvalid() {
        byte[] layer = Fixtures.randomBytes(1000);
        Digest other = Digest.sha256Of("other".getBytes(UTF_8));
        assertKind(Kind.INVALID, () -> direct().pushBlob("app", other, layer.length, new ByteArrayInputStream(layer)));
    }

    @Test
    void aSlowDownloadGoesOnWhileBytesFlowAndFailsWhenTheyStop() throws Exception {
        byte[] layer = Fixtures.randomBytes(200_000);
        Fixtures.pushBlob(upstream, "app", layer);
        gate.blobPieces = 4;
        gate.blobPause = Duration.ofMillis(600); // 1.8 s in all, never 1 s without a byte
        try (RemoteBlob blob = gated().blob("app", Digest.sha256Of(layer)).orElseThrow()) {
            assertThat(blob.content().readAllBytes()).isEqualTo(layer);
        }
        gate.blobPause = Duration.ofMillis(1500);
        try (RemoteBlob blob = gated().blob("app", Digest.sha256Of(layer)).orElseThrow()) {
            assertThatThrownBy(() -> blob.content().readAllBytes()).isInstanceOf(java.net.http.HttpTimeoutException.class);
        }
    }

    @Test
    void aSlowUploadGoesOnWhileBytesFlow() throws Exception {
        byte[] layer = Fixtures.randomBytes(40_000);
        java.io.InputStream slow = new java.io.FilterInputStream(new ByteArrayInputStream(layer)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                try {
                    Thread.sleep(400);
                } catch (InterruptedException e) {
                    throw new java.io.InterruptedIOException();
                }
                return super.read(b, off, Math.min(len, 10_000));
            }
        };
        long start = System.nanoTime();
        direct().pushBlob("app", Digest.sha256Of(layer), layer.length, slow); // 2 s in all, with a 1 s timeout
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(FAST.timeout());
        assertThat(upstream.get("/v2/app/blobs/" + Digest.sha256Of(layer)).body()).isEqualTo(layer);
    }
}
