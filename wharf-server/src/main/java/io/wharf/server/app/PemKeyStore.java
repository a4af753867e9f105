package io.wharf.server.app;

import io.wharf.server.config.ConfigException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the PEM files operators have (from Let's Encrypt, a corporate CA, {@code openssl req}) into
 * an in-memory KeyStore for Jetty, so nobody has to run {@code keytool}. Accepts a certificate chain,
 * leaf first, and an unencrypted PKCS#8 key ({@code BEGIN PRIVATE KEY}) of the certificate's algorithm.
 */
public final class PemKeyStore {
    /** Protects the in-memory store only; it is never written anywhere. */
    public static final String PASSWORD = "wharf-in-memory";
    public static final String ALIAS = "wharf";

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)-----END \\1-----");

    private PemKeyStore() {
    }

    /** @throws ConfigException with an operator-facing message when a file is unusable */
    public static KeyStore load(Path certFile, Path keyFile) {
        List<X509Certificate> chain = certificates(certFile);
        PrivateKey key = privateKey(keyFile, chain.getFirst().getPublicKey().getAlgorithm());
        checkPair(key, chain.getFirst().getPublicKey(), certFile, keyFile);
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(ALIAS, key, PASSWORD.toCharArray(), chain.toArray(new Certificate[0]));
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new ConfigException("cannot build a key store from " + certFile + " and " + keyFile + ": " + e, e);
        }
    }

    static List<X509Certificate> certificates(Path file) {
        List<X509Certificate> chain = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (Block b : blocks(file)) {
                if (b.label().equals("CERTIFICATE")) {
                    chain.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(b.der())));
                }
            }
        } catch (GeneralSecurityException e) {
            throw new ConfigException("tls.cert-file " + file + " holds an unreadable certificate: " + e.getMessage(), e);
        }
        if (chain.isEmpty()) {
            throw new ConfigException("tls.cert-file " + file + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        return chain;
    }

    static PrivateKey privateKey(Path file, String algorithm) {
        Block block = blocks(file).stream().filter(b -> b.label().endsWith("PRIVATE KEY")).findFirst()
                .orElseThrow(() -> new ConfigException("tls.key-file " + file
                        + " holds no PEM private key (-----BEGIN PRIVATE KEY-----)"));
        if (!block.label().equals("PRIVATE KEY")) {
            throw new ConfigException(unsupportedKey(file, block.label()));
        }
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(block.der()));
        } catch (GeneralSecurityException e) {
            throw new ConfigException("tls.key-file " + file + " does not hold a PKCS#8 " + algorithm
                    + " private key, the certificate's algorithm: " + e.getMessage(), e);
        }
    }

    private static String unsupportedKey(Path file, String label) {
        String convert = "openssl pkcs8 -topk8 -nocrypt -in " + file + " -out " + file + ".pk8";
        return switch (label) {
            case "RSA PRIVATE KEY", "EC PRIVATE KEY" -> "tls.key-file " + file + " is in the traditional "
                    + (label.startsWith("RSA") ? "PKCS#1" : "SEC1") + " format (" + label
                    + "); convert it to PKCS#8 with: " + convert + " and point tls.key-file at the result";
            case "ENCRYPTED PRIVATE KEY" -> "tls.key-file " + file
                    + " is encrypted; Wharf needs an unencrypted PKCS#8 key (protect it with file permissions): " + convert;
            default -> "tls.key-file " + file + " holds an unsupported key type (" + label + "); convert it with: " + convert;
        };
    }

    /** Catches the common mistake of pairing a certificate with another key before a client does. */
    private static void checkPair(PrivateKey key, PublicKey publicKey, Path certFile, Path keyFile) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "Ed448", "EdDSA" -> key.getAlgorithm();
            default -> null;
        };
        if (algorithm == null) {
            return;
        }
        try {
            byte[] probe = "wharf key pair check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(probe);
            if (verifier.verify(signature)) {
                return;
            }
        } catch (GeneralSecurityException e) {
            // a mismatch can also surface as an exception (e.g. different EC curves)
        }
        throw new ConfigException("tls.key-file " + keyFile + " does not belong to the certificate in " + certFile);
    }

    private record Block(String label, byte[] der) {
    }

    private static List<Block> blocks(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.ISO_8859_1); // never fails on binary (DER) input
        } catch (IOException e) {
            throw new ConfigException("cannot read " + file + ": " + e.getMessage(), e);
        }
        List<Block> blocks = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            try {
                blocks.add(new Block(m.group(1), Base64.getMimeDecoder().decode(m.group(2))));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(file + ": the PEM block " + m.group(1) + " is not valid base64", e);
            }
        }
        return blocks;
    }
}
