package io.wharf.server.signing;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.sigstore.proto.trustroot.v1.TrustedRoot;
import dev.sigstore.trustroot.SigstoreTrustedRoot;
import io.wharf.server.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;

/**
 * The deployment's Sigstore trusted root ({@code trusted_root.json}, as the sigstore TUF repository publishes it:
 * Fulcio CAs, Rekor and CT log keys, each with its validity), read at start-up so that a bad file stops the server
 * rather than every keyless pull.
 */
final class TrustedRootFile {
    /** The public-good root is a few kilobytes; a file far larger is not one. */
    private static final long MAX_BYTES = 1 << 20;

    private TrustedRootFile() {
    }

    static SigstoreTrustedRoot read(Path file) {
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw invalid(file, "larger than " + MAX_BYTES + " bytes");
            }
            TrustedRoot.Builder proto = TrustedRoot.newBuilder();
            JsonFormat.parser().ignoringUnknownFields().merge(Files.readString(file), proto);
            SigstoreTrustedRoot root = SigstoreTrustedRoot.from(proto.build());
            if (root.getCAs().isEmpty() || root.getTLogs().isEmpty()) {
                throw invalid(file, "it lists no certificate authority or no transparency log");
            }
            return root;
        } catch (InvalidProtocolBufferException | CertificateException | RuntimeException e) {
            throw e instanceof ConfigException c ? c : invalid(file, e.getMessage());
        } catch (IOException e) {
            throw invalid(file, "cannot read it (" + e.getMessage() + ")");
        }
    }

    private static ConfigException invalid(Path file, String why) {
        return new ConfigException("signatures.trusted-root " + file + " is not a usable Sigstore trusted root: " + why);
    }
}
