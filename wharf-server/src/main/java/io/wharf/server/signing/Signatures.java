package io.wharf.server.signing;

import io.wharf.core.service.Registry;
import io.wharf.core.signature.ImageSigner;
import io.wharf.core.signature.SignatureService;
import io.wharf.core.signature.SigningService;
import io.wharf.server.auth.KeyFiles;
import io.wharf.server.config.WharfConfig;
import io.wharf.storage.crypto.SigningKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.PublicKey;
import java.time.Clock;
import java.util.function.Supplier;

/** The signature services over a registry: verification with sigstore-java, signing with Wharf's own keys. */
public final class Signatures {
    /** The event outbox subscriber that signs pushed images. */
    public static final String ON_PUSH_SUBSCRIBER = "signing-on-push";

    private Signatures() {
    }

    /** The registry's signature service; made with no keyless trust unless {@link #trust} made it first. */
    public static SignatureService service(Registry registry) {
        return registry.signatures(SigstoreVerifier::new);
    }

    /**
     * Makes the registry's signature service with the deployment's trust settings: the Sigstore trusted root the
     * settings name (a ConfigException when it is unusable). Called where the registry is opened, before any service.
     */
    public static void trust(Registry registry, WharfConfig.SignatureSettings settings) {
        SigstoreKeyless keyless = settings.trustedRoot().map(file -> new SigstoreKeyless(TrustedRootFile.read(file)))
                .orElse(null);
        SignatureService made = registry.signatures(() -> new SigstoreVerifier(keyless));
        if (keyless != null && made.verifier().keyless().isEmpty()) {
            throw new IllegalStateException("the registry's signature service was made before its trust settings");
        }
    }

    /**
     * ECR's managed signing with the keys in {@code <data>/keys/signing/}, sealed by the key store's master key. The key
     * store is opened at the first signature or public key asked for: a registry that never signs writes no key files.
     */
    public static SigningService signing(Registry registry, WharfConfig config) {
        return new SigningService(registry, new OnFirstUse(() -> keys(config)), new SigstoreVerifier(),
                repo -> repo.account() + ".dkr.ecr." + config.region() + ".amazonaws.com/" + repo.name(), Clock.systemUTC());
    }

    /** An {@link ImageSigner} opened when first used. */
    private static final class OnFirstUse implements ImageSigner {
        private final Supplier<ImageSigner> open;
        private volatile ImageSigner signer;

        OnFirstUse(Supplier<ImageSigner> open) {
            this.open = open;
        }

        @Override
        public byte[] sign(String profileArn, byte[] payload) {
            return signer().sign(profileArn, payload);
        }

        @Override
        public PublicKey publicKey(String profileArn) {
            return signer().publicKey(profileArn);
        }

        private synchronized ImageSigner signer() {
            if (signer == null) {
                signer = open.get();
            }
            return signer;
        }
    }

    public static SigningKeys keys(WharfConfig config) {
        try {
            return new SigningKeys(config.data().resolve(KeyFiles.DIRECTORY), io.wharf.server.app.Storage.masterKey(config));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the signing key store", e);
        }
    }
}
