package io.wharf.server.signing;

import io.wharf.core.service.Registry;
import io.wharf.core.signature.SignatureService;
import java.time.Clock;

/** The signature service over a registry, verifying with sigstore-java. */
public final class Signatures {
    private Signatures() {
    }

    public static SignatureService service(Registry registry) {
        return new SignatureService(registry.metadata(), registry.blobs(), new SigstoreVerifier(), Clock.systemUTC());
    }
}
