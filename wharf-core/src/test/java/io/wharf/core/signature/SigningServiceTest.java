package io.wharf.core.signature;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.memory.InMemoryBlobStore;
import io.wharf.core.memory.InMemoryMetadataStore;
import io.wharf.core.memory.InMemoryUploadStore;
import io.wharf.core.model.Digest;
import io.wharf.core.model.MediaTypes;
import io.wharf.core.model.Reference;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.model.RepositorySettings;
import io.wharf.core.model.Tag;
import io.wharf.core.model.TagMutability;
import io.wharf.core.model.TagMutabilityPolicy;
import io.wharf.core.service.RegistryLimits;
import io.wharf.core.service.RepoKey;
import io.wharf.core.service.Registry;
import io.wharf.core.spi.Repository;
import io.wharf.core.spi.StoredManifest;
import io.wharf.core.testing.ManualClock;
import io.wharf.core.testing.TestImages;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Signing on push where cosign's tag scheme cannot take Wharf's signature (an immutable {@code .sig} tag already
 * there): the signature becomes a cosign referrer, which the status, a redelivery and the writer itself recognise.
 */
class SigningServiceTest {
    private static final String ACCOUNT = "000000000000";
    private static final String PROFILE = "arn:aws:signer:us-east-1:000000000000:/signing-profiles/ci";
    private static final RepoKey KEY = new RepoKey(ACCOUNT, RepositoryName.parse("team/locked"));

    private final ManualClock clock = new ManualClock();
    private final InMemoryMetadataStore meta = new InMemoryMetadataStore();
    private final InMemoryBlobStore blobs = new InMemoryBlobStore();
    private final Registry registry = new Registry(meta, blobs, new InMemoryUploadStore(blobs, clock),
            RegistryLimits.defaults(), clock);
    private final JdkKeys keys = new JdkKeys();
    private final SigningService signing = new SigningService(registry, keys, keys, repo -> "localhost/" + repo.name(),
            clock);

    @Test
    void anImmutableSigTagThatIsTakenLeavesItAsItIsAndTheSignatureIsAReferrer() {
        Repository repo = immutableRepository();
        Digest image = push("image");
        Digest other = push(ImageSignature.cosignTag(image), "{\"schemaVersion\":2,\"mediaType\":\""
                + MediaTypes.OCI_INDEX + "\",\"manifests\":[]}"); // not even a cosign manifest
        configure();

        signing.signPushed(repo, image, clock.instant());
        assertThat(meta.resolveTag(repo.id(), ImageSignature.cosignTag(image))).hasValue(other);
        List<StoredManifest> referrers = meta.referrers(repo.id(), image);
        assertThat(referrers).singleElement().satisfies(r -> {
            assertThat(r.artifactType()).isEqualTo(SignatureKind.COSIGN_ARTIFACT_TYPE);
            assertThat(SignatureFinder.isSignatureArtifact(r)).isTrue();
        });
        assertThat(signing.statuses(KEY, image)).singleElement()
                .satisfies(s -> assertThat(s.status()).isEqualTo(SigningStatus.State.COMPLETE));

        signing.signPushed(repo, image, clock.instant()); // a redelivered event
        assertThat(meta.referrers(repo.id(), image)).hasSize(1);
        Digest referrer = referrers.getFirst().digest();
        signing.signPushed(repo, referrer, clock.instant()); // the referrer's own push event
        assertThat(meta.referrers(repo.id(), referrer)).isEmpty();
        assertThat(meta.resolveTag(repo.id(), ImageSignature.cosignTag(referrer))).isEmpty();
    }

    @Test
    void aTagRefusedAfterTheWriterLookedSendsTheSignatureToAReferrer() {
        Repository stored = immutableRepository();
        Digest image = push("image");
        push(ImageSignature.cosignTag(image), "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX
                + "\",\"manifests\":[]}");
        configure();
        Repository seenMutable = new Repository(stored.id(), stored.account(), stored.name(), stored.createdAt(),
                RepositorySettings.DEFAULTS); // as the subscriber saw it before the mutability was changed

        signing.signPushed(seenMutable, image, clock.instant());
        assertThat(meta.referrers(stored.id(), image)).hasSize(1);
        assertThat(signing.statuses(KEY, image)).singleElement()
                .satisfies(s -> assertThat(s.status()).isEqualTo(SigningStatus.State.COMPLETE));
    }

    @Test
    void aPushMadeBeforeTheConfigurationWasPutIsNotSignedHoweverLateItsEventArrives() {
        Repository repo = registry.repositories().create(KEY, RepositorySettings.DEFAULTS, Map.of());
        Digest image = push("image");
        java.time.Instant pushedAt = clock.instant();
        clock.advance(java.time.Duration.ofMillis(1));
        configure(); // the push's event is handled only now

        signing.signPushed(repo, image, pushedAt);
        assertThat(meta.resolveTag(repo.id(), ImageSignature.cosignTag(image))).isEmpty();
        assertThat(signing.statuses(KEY, image)).as("not signed, and not waiting either").isEmpty();

        signing.signPushed(repo, image, clock.instant()); // pushed again after the configuration
        assertThat(signing.statuses(KEY, image)).singleElement()
                .satisfies(s -> assertThat(s.status()).isEqualTo(SigningStatus.State.COMPLETE));
    }

    private Repository immutableRepository() {
        return registry.repositories().create(KEY, RepositorySettings.DEFAULTS.withTagMutability(
                new TagMutabilityPolicy(TagMutability.IMMUTABLE, List.of())), Map.of());
    }

    private void configure() {
        signing.put(ACCOUNT, new SigningConfiguration(List.of(new SigningConfiguration.Rule(PROFILE,
                List.of(new SigningConfiguration.Filter("team/*", SigningConfiguration.WILDCARD_MATCH))))));
    }

    /** An image of one layer, tagged v1. */
    private Digest push(String marker) {
        return TestImages.pushOneLayer(registry, KEY, new Tag("v1"), marker);
    }

    private Digest push(Tag tag, String manifest) {
        byte[] bytes = manifest.getBytes(StandardCharsets.UTF_8);
        String type = manifest.contains("\"manifests\"") ? MediaTypes.OCI_INDEX : MediaTypes.OCI_MANIFEST;
        return registry.manifests().put(KEY, new Reference.ByTag(tag), type, bytes).digest();
    }

    /** Real ECDSA P-256 keys, one per profile, and their verification, with the JDK. */
    private static final class JdkKeys implements ImageSigner, SignatureVerifier {
        private final Map<String, KeyPair> pairs = new HashMap<>();

        @Override
        public byte[] sign(String profileArn, byte[] payload) {
            try {
                Signature s = Signature.getInstance("SHA256withECDSA");
                s.initSign(pair(profileArn).getPrivate());
                s.update(payload);
                return s.sign();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public PublicKey publicKey(String profileArn) {
            return pair(profileArn).getPublic();
        }

        @Override
        public boolean verify(PublicKey key, byte[] payload, byte[] signature) {
            try {
                Signature s = Signature.getInstance("SHA256withECDSA");
                s.initVerify(key);
                s.update(payload);
                return s.verify(signature);
            } catch (GeneralSecurityException e) {
                return false;
            }
        }

        private synchronized KeyPair pair(String profile) {
            return pairs.computeIfAbsent(profile, p -> {
                try {
                    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
                    g.initialize(new ECGenParameterSpec("secp256r1"));
                    return g.generateKeyPair();
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException(e);
                }
            });
        }
    }
}
