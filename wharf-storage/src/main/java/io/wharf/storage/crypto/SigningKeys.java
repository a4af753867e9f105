package io.wharf.storage.crypto;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.subtle.AesGcmJce;
import io.wharf.core.signature.ImageSigner;
import io.wharf.core.error.StorageUnavailableException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The signing keys Wharf holds, one ECDSA P-256 key per signing profile ARN, created on first use, in
 * {@code <data>/keys/signing/<id>.key}: the public key (X.509 DER, length-prefixed) in the clear, then the private key
 * (PKCS#8) sealed with the master key (AES-GCM, the profile ARN as associated data). {@code <id>} is the first 32 hex
 * digits of the ARN's SHA-256. A key file is created by a hard link, which fails when another writer was first: every
 * process beside the data directory (the server, {@code wharf signing}) ends up with the same key.
 */
public final class SigningKeys implements ImageSigner {
    private final Path dir;
    private final Aead master;
    private final Map<String, KeyPair> cache = new ConcurrentHashMap<>();

    /** @param masterKey 32 bytes, the encryption key store's master key */
    public SigningKeys(Path keysDir, byte[] masterKey) throws IOException {
        try {
            this.master = new AesGcmJce(masterKey);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the master key must be 32 bytes", e);
        }
        this.dir = keysDir.resolve("signing");
        Files.createDirectories(dir);
    }

    @Override
    public byte[] sign(String profileArn, byte[] payload) {
        try {
            Signature s = Signature.getInstance("SHA256withECDSA");
            s.initSign(keyPair(profileArn).getPrivate());
            s.update(payload);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with the key of " + profileArn, e);
        }
    }

    @Override
    public PublicKey publicKey(String profileArn) {
        return keyPair(profileArn).getPublic();
    }

    private KeyPair keyPair(String profileArn) {
        return cache.computeIfAbsent(profileArn, arn -> {
            try {
                return Files.exists(file(arn, ".key")) ? read(arn) : create(arn);
            } catch (IOException e) {
                throw unavailable(arn, "cannot be read", e);
            } catch (GeneralSecurityException | RuntimeException e) { // a truncated file fails its parse, not its seal
                throw unavailable(arn, "cannot be opened: wrong master key, or the file was altered", e);
            }
        });
    }

    /** A key Wharf holds but cannot use is an outage (as a data key is), never a server fault. */
    private static StorageUnavailableException unavailable(String arn, String why, Exception cause) {
        StorageUnavailableException e = new StorageUnavailableException("storage unavailable: the signing key of "
                + arn + " " + why, null);
        e.initCause(cause);
        return e;
    }

    private KeyPair create(String arn) throws IOException, GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = g.generateKeyPair();
        byte[] pub = pair.getPublic().getEncoded();
        byte[] sealed = master.encrypt(pair.getPrivate().getEncoded(), associated(arn));
        byte[] file = ByteBuffer.allocate(4 + pub.length + sealed.length).putInt(pub.length).put(pub).put(sealed).array();
        return createOnce(file(arn, ".key"), file) ? pair : read(arn);
    }

    private KeyPair read(String arn) throws IOException, GeneralSecurityException {
        ByteBuffer file = ByteBuffer.wrap(Files.readAllBytes(file(arn, ".key")));
        byte[] pub = new byte[file.getInt()];
        file.get(pub);
        byte[] sealed = new byte[file.remaining()];
        file.get(sealed);
        KeyFactory ec = KeyFactory.getInstance("EC");
        PrivateKey priv = ec.generatePrivate(new PKCS8EncodedKeySpec(master.decrypt(sealed, associated(arn))));
        return new KeyPair(ec.generatePublic(new X509EncodedKeySpec(pub)), priv);
    }

    private Path file(String arn, String suffix) {
        try {
            byte[] hash = java.security.MessageDigest.getInstance("SHA-256").digest(arn.getBytes(StandardCharsets.UTF_8));
            return dir.resolve(HexFormat.of().formatHex(hash, 0, 16) + suffix);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] associated(String arn) {
        return ("signing:" + arn).getBytes(StandardCharsets.UTF_8);
    }

    /** Writes the file complete under a temporary name, then links it in place; false when it already existed. */
    private boolean createOnce(Path file, byte[] bytes) throws IOException {
        Path tmp = Files.createTempFile(dir, ".key", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.write(tmp, bytes, java.nio.file.StandardOpenOption.SYNC);
            Files.createLink(file, tmp);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
