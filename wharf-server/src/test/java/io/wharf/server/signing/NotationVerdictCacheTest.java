package io.wharf.server.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.wharf.core.error.ImageNotTrustedException;
import io.wharf.core.memory.InMemoryBlobStore;
import io.wharf.core.memory.InMemoryMetadataStore;
import io.wharf.core.memory.InMemoryUploadStore;
import io.wharf.core.model.Digest;
import io.wharf.core.model.Reference;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.model.RepositorySettings;
import io.wharf.core.service.BodySource;
import io.wharf.core.service.Registry;
import io.wharf.core.service.RegistryLimits;
import io.wharf.core.service.RepoKey;
import io.wharf.core.signature.SignatureService;
import io.wharf.core.spi.BlobStore;
import io.wharf.core.testing.ManualClock;
import java.io.IOException;
import java.net.URI;
import java.nio.channels.SeekableByteChannel;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The verdict cache over the real domain services and real crypto: a second pull does not open the signature's
 * envelope again; a new expiry, a changed policy and a removed signature are seen at once.
 */
class NotationVerdictCacheTest {
    private static final RepoKey KEY = new RepoKey("000000000000", new RepositoryName("team/app"));
    private final ManualClock clock = new ManualClock(Instant.now());
    private final InMemoryBlobStore stored = new InMemoryBlobStore();
    private final Map<Digest, Integer> opens = new ConcurrentHashMap<>();
    private final Registry registry = new Registry(new InMemoryMetadataStore(), new Counting(), new InMemoryUploadStore(stored, clock),
            RegistryLimits.defaults(), clock);
    private final SignatureService signatures = new SignatureService(registry.metadata(), registry.blobs(),
            new SigstoreVerifier(), clock);
    private NotationPki.Issued root;
    private NotationPki.Issued leaf;

    @BeforeEach
    void setUp() throws Exception {
        registry.repositories().create(KEY, RepositorySettings.DEFAULTS, Map.of());
        root = NotationPki.root("CN=Test Root,O=Example");
        leaf = NotationPki.leaf(root, "CN=ci,O=Example", NotationPki.LeafKind.CODE_SIGNING);
    }

    @Test
    void aSecondPullDoesNotReadTheSignatureAgainAndChangesAreSeenAtOnce() throws Exception {
        byte[] image = Cosign.pushImage(this::send, "team/app", "v1");
        byte[] envelope = new Notation.Envelope(Notation.target(image), leaf.key().getPrivate(),
                List.of(leaf.certificate(), root.certificate())).expiry(clock.instant().plusSeconds(600)).bytes();
        Digest signature = Notation.push(this::send, "team/app", image, envelope, Notation.JWS);
        signatures.putPolicy(KEY, policy("corp"));

        assertAllowed();
        assertAllowed();
        assertThat(opens.get(Digest.sha256Of(envelope))).as("verified once, then cached").isEqualTo(1);

        signatures.putPolicy(KEY, policy("renamed"));
        assertAllowed();
        assertThat(opens.get(Digest.sha256Of(envelope))).as("a changed policy verifies again").isEqualTo(2);

        clock.advance(Duration.ofSeconds(601));
        assertThatThrownBy(this::pull).isInstanceOf(ImageNotTrustedException.class).hasMessageContaining("expired at");
        assertThat(opens.get(Digest.sha256Of(envelope))).as("not cached past the expiry").isEqualTo(3);

        registry.manifests().delete(KEY, new Reference.ByDigest(signature));
        assertThatThrownBy(this::pull).isInstanceOf(ImageNotTrustedException.class)
                .hasMessageContaining("the image has no signature");
    }

    @Test
    void aChainThroughAnIntermediateIsTrustedUntilItsLeafExpires() throws Exception {
        NotationPki.Issued intermediate = NotationPki.intermediate(root, "CN=Issuing CA,O=Example");
        NotationPki.Issued shortLived = NotationPki.leaf(intermediate, "CN=ci,O=Example", NotationPki.LeafKind.CODE_SIGNING,
                clock.instant().minusSeconds(60), clock.instant().plusSeconds(300));
        byte[] image = Cosign.pushImage(this::send, "team/app", "v1");
        byte[] envelope = new Notation.Envelope(Notation.target(image), shortLived.key().getPrivate(),
                List.of(shortLived.certificate(), intermediate.certificate(), root.certificate())).bytes();
        Notation.push(this::send, "team/app", image, envelope, Notation.JWS);
        signatures.putPolicy(KEY, policy("corp"));

        assertAllowed();
        assertAllowed();
        assertThat(opens.get(Digest.sha256Of(envelope))).isEqualTo(1);
        clock.advance(Duration.ofSeconds(301));
        assertThatThrownBy(this::pull).isInstanceOf(ImageNotTrustedException.class)
                .hasMessageContaining("the Notation certificate chain is not valid now");
        assertThat(opens.get(Digest.sha256Of(envelope))).as("not cached past the leaf's notAfter").isEqualTo(2);
    }

    @Test
    void anAllowedCosignVerdictIsCachedToo() throws Exception {
        var key = Cosign.newKey();
        Digest image = Digest.sha256Of(Cosign.pushImage(this::send, "team/app", "v1"));
        Cosign.signTagScheme(this::send, "team/app", image, image, key);
        signatures.putPolicy(KEY, "{\"trustedKeys\":[{\"name\":\"ci\",\"publicKey\":" + json(Cosign.pem(key.getPublic())) + "}]}");
        Digest payload = Digest.sha256Of(io.wharf.core.signature.SimpleSigning.payload("localhost/team/app", image));

        assertAllowed();
        assertAllowed();
        assertThat(opens.get(payload)).isEqualTo(1);
    }

    private void assertAllowed() {
        assertThatCode(this::pull).doesNotThrowAnyException();
    }

    private void pull() {
        Reference tag = Reference.parse("v1");
        signatures.checkPull(KEY, tag, registry.manifests().get(KEY, tag));
    }

    private String policy(String name) {
        return "{\"trustedCertificates\":[{\"name\":\"" + name + "\",\"certificates\":" + json(root.pem())
                + ",\"identities\":[\"x509.subject: CN=ci, O=Example\"]}]}";
    }

    private static String json(String text) {
        return new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(text).toString();
    }

    private int send(String method, String path, byte[] body, String type) {
        if (method.equals("POST")) {
            Digest digest = Digest.parse(path.substring(path.indexOf("?digest=") + 8));
            registry.uploads().putMonolithic(KEY, "tester", digest, (long) body.length, BodySource.of(body));
        } else {
            registry.manifests().put(KEY, Reference.parse(path.substring(path.lastIndexOf('/') + 1)), type, body);
        }
        return 201;
    }

    /** The registry's blob store, counting opens per digest. */
    private final class Counting implements BlobStore {
        @Override
        public OptionalLong size(Digest digest) throws IOException {
            return stored.size(digest);
        }

        @Override
        public SeekableByteChannel open(Digest digest) throws IOException {
            opens.merge(digest, 1, Integer::sum);
            return stored.open(digest);
        }

        @Override
        public void delete(Digest digest) throws IOException {
            stored.delete(digest);
        }

        @Override
        public List<BlobFile> list(Digest after, int limit) throws IOException {
            return stored.list(after, limit);
        }

        @Override
        public void quarantine(Digest digest) throws IOException {
            stored.quarantine(digest);
        }

        @Override
        public Optional<URI> downloadUrl(Digest digest) {
            return stored.downloadUrl(digest);
        }
    }
}
