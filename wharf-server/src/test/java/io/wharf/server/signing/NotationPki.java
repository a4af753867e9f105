package io.wharf.server.signing;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Test certificates issued with BouncyCastle: a root CA and code-signing leaves as the Notary Project requires. */
public final class NotationPki {
    private static final AtomicLong SERIAL = new AtomicLong(System.nanoTime());

    /** A key and its certificate. */
    public record Issued(KeyPair key, X509Certificate certificate) {
        public String pem() {
            return NotationPki.pem(certificate);
        }
    }

    /** What a leaf is issued for: a code-signing leaf, or one made to break a requirement. */
    public enum LeafKind { CODE_SIGNING, SERVER_AUTH, NO_KEY_USAGE }

    private NotationPki() {
    }

    public static KeyPair ecKey() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    /** A self-signed root CA: critical basicConstraints cA, critical keyUsage keyCertSign and cRLSign. */
    public static Issued root(String subject) throws Exception {
        KeyPair key = ecKey();
        X509v3CertificateBuilder b = builder(new X500Name(subject), subject, key, Instant.now().minusSeconds(3600),
                Instant.now().plusSeconds(86_400));
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        return new Issued(key, sign(b, key.getPrivate()));
    }

    /** An intermediate CA issued by {@code ca}. */
    public static Issued intermediate(Issued ca, String subject) throws Exception {
        KeyPair key = ecKey();
        X509v3CertificateBuilder b = builder(X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded()),
                subject, key, Instant.now().minusSeconds(3600), Instant.now().plusSeconds(86_400));
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        return new Issued(key, sign(b, ca.key().getPrivate()));
    }

    public static Issued leaf(Issued ca, String subject, LeafKind kind) throws Exception {
        return leaf(ca, subject, kind, Instant.now().minusSeconds(600), Instant.now().plusSeconds(3600));
    }

    /** A leaf issued by {@code ca}, valid from {@code notBefore} to {@code notAfter}. */
    public static Issued leaf(Issued ca, String subject, LeafKind kind, Instant notBefore, Instant notAfter) throws Exception {
        KeyPair key = ecKey();
        X509v3CertificateBuilder b = builder(X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded()),
                subject, key, notBefore, notAfter);
        b.addExtension(Extension.basicConstraints, false, new BasicConstraints(false));
        if (kind != LeafKind.NO_KEY_USAGE) {
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        }
        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(kind == LeafKind.SERVER_AUTH
                ? KeyPurposeId.id_kp_serverAuth : KeyPurposeId.id_kp_codeSigning));
        return new Issued(key, sign(b, ca.key().getPrivate()));
    }

    public static String pem(X509Certificate c) {
        try {
            return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(c.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, String subject, KeyPair key, Instant from, Instant to) {
        return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(from), Date.from(to), new X500Name(subject), key.getPublic());
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey issuerKey) throws Exception {
        return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA")
                .build(issuerKey)));
    }
}
