package io.wharf.core.signature;

import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;

/**
 * The Notary Project's certificate requirements on a signature's chain (signature-specification.md, "Certificate
 * Requirements"), and its validation against a trust store. Each method answers null when the chain passes, else the
 * reason it does not.
 */
final class CodeSigningChain {
    private static final String BASIC_CONSTRAINTS = "2.5.29.19";
    private static final String KEY_USAGE = "2.5.29.15";
    private static final String CODE_SIGNING = "1.3.6.1.5.5.7.3.3";
    /** anyExtendedKeyUsage, serverAuth, clientAuth, emailProtection, timeStamping: never on a signing leaf. */
    private static final Set<String> FORBIDDEN_EKU = Set.of("2.5.29.37.0", "1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2",
            "1.3.6.1.5.5.7.3.4", "1.3.6.1.5.5.7.3.8");
    /** keyUsage bits a leaf must not have: keyEncipherment through decipherOnly. */
    private static final int[] FORBIDDEN_LEAF_USAGE = {2, 3, 4, 5, 6, 7, 8};
    private static final int DIGITAL_SIGNATURE = 0;
    private static final int KEY_CERT_SIGN = 5;

    private CodeSigningChain() {
    }

    /** The chain's form: leaf first, each certificate issued by the next, ending at a self-signed root. */
    static String structure(List<X509Certificate> chain) {
        for (int i = 0; i < chain.size(); i++) {
            X509Certificate c = chain.get(i);
            X509Certificate issuer = i + 1 < chain.size() ? chain.get(i + 1) : c;
            if (c.getSigAlgName().toUpperCase(java.util.Locale.ROOT).contains("SHA1")) {
                return "a certificate is signed with SHA-1";
            }
            if (!c.getIssuerX500Principal().equals(issuer.getSubjectX500Principal()) || !signedBy(c, issuer)) {
                return i + 1 < chain.size() ? "x5c is not an ordered chain (certificate " + i + " is not issued by the next)"
                        : "x5c does not end with a root certificate";
            }
        }
        return null;
    }

    /** The leaf's requirements for a code-signing certificate, and the CA requirements of the rest. */
    static String requirements(List<X509Certificate> chain) {
        String leaf = leaf(chain.getFirst());
        if (leaf != null) {
            return "the signing certificate is not a code-signing certificate (" + leaf + ")";
        }
        for (X509Certificate ca : chain.subList(1, chain.size())) {
            if (ca.getBasicConstraints() < 0 || !critical(ca, BASIC_CONSTRAINTS) || !usage(ca, KEY_CERT_SIGN)
                    || !critical(ca, KEY_USAGE)) {
                return "a CA certificate lacks critical basicConstraints cA=true or a critical keyCertSign key usage";
            }
        }
        return null;
    }

    private static String leaf(X509Certificate leaf) {
        if (leaf.getBasicConstraints() >= 0) {
            return "it is a CA certificate";
        }
        if (leaf.getKeyUsage() == null || !critical(leaf, KEY_USAGE) || !usage(leaf, DIGITAL_SIGNATURE)) {
            return "no critical keyUsage with digitalSignature";
        }
        for (int bit : FORBIDDEN_LEAF_USAGE) {
            if (usage(leaf, bit)) {
                return "keyUsage allows more than signing";
            }
        }
        return eku(leaf);
    }

    private static String eku(X509Certificate leaf) {
        try {
            List<String> eku = leaf.getExtendedKeyUsage();
            if (eku != null && (!eku.contains(CODE_SIGNING) || eku.stream().anyMatch(FORBIDDEN_EKU::contains))) {
                return "extendedKeyUsage is not codeSigning";
            }
            return null;
        } catch (java.security.cert.CertificateParsingException e) {
            return "extendedKeyUsage does not parse";
        }
    }

    /**
     * Whether the chain leads to a certificate of the trust store: the first chain certificate found in the store is
     * the anchor, and the certificates below it validate to it (PKIX, revocation off) at the signing time.
     */
    static String trusted(List<X509Certificate> chain, List<X509Certificate> store, Instant signingTime) {
        for (int i = 0; i < chain.size(); i++) {
            if (store.contains(chain.get(i))) {
                return i == 0 ? validAt(chain.subList(0, 1), signingTime, "the signing time")
                        : pkix(chain.subList(0, i), chain.get(i), signingTime);
            }
        }
        return "the chain leads to no trusted certificate";
    }

    private static String pkix(List<X509Certificate> path, X509Certificate anchor, Instant at) {
        try {
            PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(anchor, null)));
            params.setRevocationEnabled(false); // no CRL or OCSP fetches on a pull
            params.setDate(Date.from(at));
            CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(path), params);
            return null;
        } catch (GeneralSecurityException e) {
            return "the chain does not validate at the signing time " + at + " (" + e.getMessage() + ")";
        }
    }

    /** Whether every certificate is within its validity at {@code at}; null when so. */
    static String validAt(List<X509Certificate> chain, Instant at, String when) {
        for (X509Certificate c : chain) {
            if (at.isBefore(c.getNotBefore().toInstant()) || at.isAfter(c.getNotAfter().toInstant())) {
                return "the certificate " + c.getSubjectX500Principal().getName() + " is not valid at " + when + " (" + at
                        + "; valid " + c.getNotBefore().toInstant() + " to " + c.getNotAfter().toInstant() + ")";
            }
        }
        return null;
    }

    private static boolean signedBy(X509Certificate c, X509Certificate issuer) {
        try {
            c.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static boolean critical(X509Certificate c, String oid) {
        return c.getCriticalExtensionOIDs() != null && c.getCriticalExtensionOIDs().contains(oid);
    }

    private static boolean usage(X509Certificate c, int bit) {
        boolean[] usage = c.getKeyUsage();
        return usage != null && usage.length > bit && usage[bit];
    }
}
