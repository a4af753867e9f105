package io.wharf.server.signing;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A Fulcio and a Rekor small enough for a test: a root CA and an intermediate that issue short-lived leaf
 * certificates with Fulcio's OIDC issuer extensions and the subject as SAN, a log key that signs
 * SignedEntryTimestamps over hashedrekord entries, and the {@code trusted_root.json} that trusts both. Everything is
 * written to the formats' specifications (cosign is not installed here), with BouncyCastle and the JDK.
 */
public final class TinySigstore {
    private static final AtomicLong SERIAL = new AtomicLong(System.nanoTime());
    private final KeyPair rootKey;
    private final X509Certificate root;
    private final KeyPair intermediateKey;
    private final X509Certificate intermediate;
    private final KeyPair logKey;
    private final AtomicLong logIndex = new AtomicLong();

    public TinySigstore(String name) throws Exception {
        Instant start = Instant.now().minusSeconds(86_400);
        rootKey = Cosign.newKey();
        root = ca(name + "-root", rootKey, rootKey, null, start);
        intermediateKey = Cosign.newKey();
        intermediate = ca(name + "-intermediate", intermediateKey, rootKey, root, start);
        logKey = Cosign.newKey();
    }

    public X509Certificate intermediate() {
        return intermediate;
    }

    public X509Certificate root() {
        return root;
    }

    /** The log's id, as Rekor names it: the SHA-256 of its public key (DER), in hex. */
    public String logId() throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(logKey.getPublic().getEncoded()));
    }

    /** A trusted root with this Fulcio (intermediate then root, as the public-good root lists them) and this Rekor. */
    public String trustedRoot() throws Exception {
        Base64.Encoder b64 = Base64.getEncoder();
        return """
                {"mediaType":"application/vnd.dev.sigstore.trustedroot+json;version=0.1",
                 "tlogs":[{"baseUrl":"https://rekor.test","hashAlgorithm":"SHA2_256",
                   "publicKey":{"rawBytes":"%s","keyDetails":"PKIX_ECDSA_P256_SHA_256",
                     "validFor":{"start":"2020-01-01T00:00:00Z"}},
                   "logId":{"keyId":"%s"}}],
                 "certificateAuthorities":[{"subject":{"organization":"test","commonName":"fulcio"},
                   "uri":"https://fulcio.test","certChain":{"certificates":[{"rawBytes":"%s"},{"rawBytes":"%s"}]},
                   "validFor":{"start":"2020-01-01T00:00:00Z"}}],
                 "ctlogs":[],"timestampAuthorities":[]}""".formatted(b64.encodeToString(logKey.getPublic().getEncoded()),
                b64.encodeToString(HexFormat.of().parseHex(logId())), b64.encodeToString(intermediate.getEncoded()),
                b64.encodeToString(root.getEncoded()));
    }

    /** Fulcio's leaf for {@code signer}: valid ten minutes from {@code notBefore}, certifying issuer and subject. */
    public X509Certificate leaf(KeyPair signer, String issuer, String subject, Instant notBefore) throws Exception {
        return leaf(signer, issuer, subject, notBefore, true);
    }

    /** @param codeSigning whether the leaf has the code-signing extended key usage (Fulcio's always do) */
    public X509Certificate leaf(KeyPair signer, String issuer, String subject, Instant notBefore, boolean codeSigning)
            throws Exception {
        var b = new JcaX509v3CertificateBuilder(intermediate, BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(notBefore), Date.from(notBefore.plusSeconds(600)), new X500Name(""), signer.getPublic());
        GeneralName san = subject.contains("@") && !subject.contains("/")
                ? new GeneralName(GeneralName.rfc822Name, subject) : new GeneralName(GeneralName.uniformResourceIdentifier, subject);
        b.addExtension(Extension.subjectAlternativeName, true, new GeneralNames(san));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        if (codeSigning) {
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_codeSigning));
        }
        // v1: the issuer's bytes as the extension's value; v2: a DER UTF8String (Fulcio writes both)
        b.addExtension(new ASN1ObjectIdentifier("1.3.6.1.4.1.57264.1.1"), false, issuer.getBytes(StandardCharsets.UTF_8));
        b.addExtension(new ASN1ObjectIdentifier("1.3.6.1.4.1.57264.1.8"), false, new DERUTF8String(issuer));
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(intermediateKey.getPrivate())));
    }

    /** Rekor's bundle for a hashedrekord entry of this signature, payload and certificate, logged at {@code time}. */
    public String bundle(byte[] payload, byte[] signature, X509Certificate cert, Instant time) throws Exception {
        return bundle(payload, signature, cert, time, logKey);
    }

    /** As {@link #bundle}, the SignedEntryTimestamp signed by {@code signedBy} (another key: a forged SET). */
    public String bundle(byte[] payload, byte[] signature, X509Certificate cert, Instant time, KeyPair signedBy)
            throws Exception {
        Base64.Encoder b64 = Base64.getEncoder();
        String body = b64.encodeToString("""
                {"apiVersion":"0.0.1","kind":"hashedrekord","spec":{"data":{"hash":{"algorithm":"sha256","value":"%s"}},\
                "signature":{"content":"%s","publicKey":{"content":"%s"}}}}""".formatted(
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(payload)),
                b64.encodeToString(signature), b64.encodeToString(pem(cert).getBytes(StandardCharsets.US_ASCII)))
                .getBytes(StandardCharsets.UTF_8));
        long index = logIndex.incrementAndGet();
        // the SET signs the canonical JSON (keys sorted, no spaces) of these four members
        String signed = "{\"body\":\"%s\",\"integratedTime\":%d,\"logID\":\"%s\",\"logIndex\":%d}"
                .formatted(body, time.getEpochSecond(), logId(), index);
        String set = b64.encodeToString(Cosign.sign(signedBy, signed.getBytes(StandardCharsets.UTF_8)));
        return "{\"SignedEntryTimestamp\":\"%s\",\"Payload\":{\"body\":\"%s\",\"integratedTime\":%d,\"logIndex\":%d,\"logID\":\"%s\"}}"
                .formatted(set, body, time.getEpochSecond(), index, logId());
    }

    public static String pem(X509Certificate cert) throws Exception {
        return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(cert.getEncoded()) + "\n-----END CERTIFICATE-----\n";
    }

    private static X509Certificate ca(String cn, KeyPair key, KeyPair issuerKey, X509Certificate issuer, Instant start)
            throws Exception {
        X500Name subject = new X500Name("CN=" + cn + ",O=test");
        var b = new JcaX509v3CertificateBuilder(issuer == null ? subject : X500Name.getInstance(
                issuer.getSubjectX500Principal().getEncoded()), BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(start), Date.from(start.plusSeconds(10 * 365 * 86_400L)), subject, key.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(issuer == null ? 1 : 0));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey.getPrivate())));
    }
}
