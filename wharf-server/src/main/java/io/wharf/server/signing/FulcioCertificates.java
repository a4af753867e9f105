package io.wharf.server.signing;

import dev.sigstore.encryption.certificates.Certificates;
import dev.sigstore.trustroot.CertificateAuthority;
import io.wharf.core.signature.KeylessVerifier.CertifiedSigner;
import io.wharf.core.signature.KeylessVerifier.Refused;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.Certificate;
import java.security.cert.PKIXParameters;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1String;

/**
 * A keyless signer's Fulcio certificate: its path to a CA of the trusted root, and the identity it certifies.
 * sigstore-java parses the certificates and the CAs (with their validity); the PKIX validation is done here, as
 * sigstore-java's {@code FulcioVerifier} does it, because that class also demands an embedded SCT, which Wharf does
 * not check (see docs/signatures.md).
 */
final class FulcioCertificates {
    /** Fulcio's OIDC issuer extension: v2 (a DER UTF8String), then v1 (the raw string), as cosign reads them. */
    private static final String ISSUER_V2 = "1.3.6.1.4.1.57264.1.8";
    private static final String ISSUER_V1 = "1.3.6.1.4.1.57264.1.1";
    /** id-kp-codeSigning: Fulcio's leaves carry it, and cosign refuses a leaf without it. */
    private static final String CODE_SIGNING = "1.3.6.1.5.5.7.3.3";
    /** The SAN kinds Fulcio writes as the subject: e-mail, DNS name, URI. */
    private static final List<Integer> SAN_KINDS = List.of(1, 2, 6);

    private FulcioCertificates() {
    }

    /** The leaf then the chain's intermediates (and root), as cosign's annotations carry them. */
    static CertPath path(String certificatePem, String chainPem) throws Refused {
        try {
            CertPath leaf = Certificates.toCertPath(Certificates.fromPem(certificatePem));
            return chainPem == null || chainPem.isBlank() ? leaf
                    : Certificates.append(Certificates.fromPemChain(chainPem), leaf); // (parent, child)
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new Refused("the signature's certificate or chain does not parse");
        }
    }

    /** Validates the path at {@code when} against each CA of the trusted root valid then; refused when none takes it. */
    static void validate(CertPath path, List<CertificateAuthority> cas, Instant when) throws Refused {
        for (CertificateAuthority ca : CertificateAuthority.find(cas, when)) {
            if (validates(path, ca, when)) {
                return;
            }
        }
        throw new Refused("the certificate does not chain to a Fulcio CA of the trusted root valid when it was used");
    }

    private static boolean validates(CertPath path, CertificateAuthority ca, Instant when) {
        try {
            PKIXParameters params = new PKIXParameters(Collections.singleton(ca.asTrustAnchor()));
            params.setRevocationEnabled(false); // Fulcio certificates are short-lived and never revoked
            params.setDate(Date.from(when));
            CertPathValidator.getInstance("PKIX").validate(withCa(path, ca), params);
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    /** The path with the CA's intermediates when the chain annotation left them out, without self-signed roots. */
    private static CertPath withCa(CertPath path, CertificateAuthority ca) throws GeneralSecurityException {
        CertPath full = Certificates.containsParent(path, ca.getCertPath()) ? path
                : Certificates.append(ca.getCertPath(), path);
        List<Certificate> noRoot = new ArrayList<>();
        for (Certificate c : full.getCertificates()) {
            if (noRoot.isEmpty() || !Certificates.isSelfSigned(c)) {
                noRoot.add(c);
            }
        }
        return Certificates.fromDer(noRoot.stream().map(FulcioCertificates::der).toList());
    }

    private static byte[] der(Certificate c) {
        try {
            return c.getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The leaf must be for code signing: a CA's TLS or e-mail certificate is no signing certificate. */
    static void requireCodeSigning(X509Certificate leaf) throws Refused {
        try {
            if (leaf.getExtendedKeyUsage() == null || !leaf.getExtendedKeyUsage().contains(CODE_SIGNING)) {
                throw new Refused("the certificate is not for code signing (extended key usage)");
            }
        } catch (java.security.cert.CertificateParsingException e) {
            throw new Refused("the certificate's extended key usage does not parse");
        }
    }

    /** The OIDC issuer and the SANs the leaf certifies. */
    static CertifiedSigner identity(X509Certificate leaf) throws Refused {
        String issuer = issuer(leaf);
        if (issuer == null) {
            throw new Refused("the certificate has no Fulcio OIDC issuer extension");
        }
        return new CertifiedSigner(issuer, subjects(leaf));
    }

    private static String issuer(X509Certificate leaf) {
        try {
            byte[] v2 = leaf.getExtensionValue(ISSUER_V2);
            if (v2 != null) {
                return ((ASN1String) ASN1Primitive.fromByteArray(ASN1OctetString.getInstance(v2).getOctets())).getString();
            }
            byte[] v1 = leaf.getExtensionValue(ISSUER_V1);
            return v1 == null ? null : new String(ASN1OctetString.getInstance(v1).getOctets(), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return null; // a malformed extension certifies no issuer
        }
    }

    private static List<String> subjects(X509Certificate leaf) throws Refused {
        try {
            var names = leaf.getSubjectAlternativeNames();
            return names == null ? List.of() : names.stream().filter(n -> SAN_KINDS.contains((Integer) n.get(0)))
                    .map(n -> String.valueOf(n.get(1))).toList();
        } catch (GeneralSecurityException e) {
            throw new Refused("the certificate's subject alternative names do not parse");
        }
    }
}
