package io.wharf.storage.crypto;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.StreamingAead;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import com.google.crypto.tink.streamingaead.PredefinedStreamingAeadParameters;
import com.google.crypto.tink.streamingaead.StreamingAeadConfig;
import com.google.crypto.tink.subtle.AesGcmJce;
import io.wharf.core.error.StorageUnavailableException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Wharf's key store for encryption at rest (Google Tink keysets in {@code <data>/keys/encryption/}, never beside the
 * data). The master key seals the named keys (KEKs) and the registry data key; each named key wraps its own data key
 * (envelope encryption). Data keys are streaming AEAD keysets ({@code AES256_GCM_HKDF_1MB}); rotation adds a primary
 * version and keeps the old ones, so that everything written before stays readable.
 */
public final class EncryptionKeys {
    /** The registry data key's domain (repositories with AES256 when that is encrypted). */
    public static final String AES256_DOMAIN = "aes256";
    /** The key standing in for ECR's AWS-managed key ({@code alias/aws/ecr}), created on first use. */
    public static final String MANAGED_KEY = "aws-ecr";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    /** {@code NAME}, {@code alias/NAME}, {@code arn:aws:kms:<region>:<account>:key/NAME} or {@code …:alias/NAME}. */
    private static final Pattern REFERENCE = Pattern.compile("(?:arn:aws:kms:[a-z0-9-]*:\\d*:(?:key|alias)/|alias/)?(.+)");

    static {
        try {
            AeadConfig.register();
            StreamingAeadConfig.register();
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Path dir;
    private final Aead master;
    private final Map<String, Cached> dataKeys = new ConcurrentHashMap<>();

    private record Cached(FileTime written, StreamingAead aead) {
    }

    /** A named key as listed: its name and how many versions (rotations + 1) it has. */
    public record KeyInfo(String name, int versions) {
    }

    /** @param masterKey 32 bytes: it seals every keyset; losing it loses every encrypted blob */
    public EncryptionKeys(Path keysDir, byte[] masterKey) throws IOException {
        try {
            this.master = new AesGcmJce(masterKey);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the encryption master key must be 32 bytes", e);
        }
        this.dir = keysDir.resolve("encryption");
        Files.createDirectories(dir);
    }

    /** The name of the key a repository's {@code kmsKey} refers to, when the key store holds it. */
    public Optional<String> resolve(String kmsKey) {
        if (kmsKey == null || kmsKey.equals("alias/aws/ecr") || kmsKey.endsWith(":alias/aws/ecr")) {
            return Optional.of(MANAGED_KEY);
        }
        Matcher m = REFERENCE.matcher(kmsKey);
        String name = m.matches() ? m.group(1) : kmsKey;
        return NAME.matcher(name).matches() && Files.exists(kekFile(name)) ? Optional.of(name) : Optional.empty();
    }

    /** Creates a named key (a KEK) and its data key. */
    public synchronized void createKey(String name) throws IOException {
        requireName(name);
        if (Files.exists(kekFile(name))) {
            throw new IllegalArgumentException("key " + name + " already exists");
        }
        KeysetHandle kek = generate(PredefinedAeadParameters.AES256_GCM);
        write(dataFile("kms-" + name), sealData("kms-" + name, generate(PredefinedStreamingAeadParameters.AES256_GCM_HKDF_1MB), aead(kek)));
        write(kekFile(name), seal(kek, master, "kek:" + name));
    }

    /**
     * Adds a new primary version to the named key and to its data key, and wraps the data key with the new version.
     * Old versions stay: blobs written with them stay readable.
     */
    public synchronized void rotate(String name) throws IOException {
        KeysetHandle kek = addPrimary(kek(name), PredefinedAeadParameters.AES256_GCM);
        KeysetHandle data = addPrimary(openData("kms-" + name, aead(kek(name))), PredefinedStreamingAeadParameters.AES256_GCM_HKDF_1MB);
        write(kekFile(name), seal(kek, master, "kek:" + name));
        write(dataFile("kms-" + name), sealData("kms-" + name, data, aead(kek)));
    }

    /** The named keys, by name. */
    public List<KeyInfo> list() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<String> names = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("kek-") && n.endsWith(".keyset"))
                    .map(n -> n.substring(4, n.length() - 7)).sorted().toList();
            List<KeyInfo> out = new java.util.ArrayList<>();
            for (String n : names) {
                out.add(new KeyInfo(n, kek(n).size()));
            }
            return out;
        }
    }

    /**
     * The data key of a domain ({@link #AES256_DOMAIN} or {@code kms-<name>}), created on first use for the registry
     * key and the managed key; re-read when its file changed (a rotation by {@code wharf kms} beside the server).
     */
    public StreamingAead dataKey(String domain) {
        try {
            Path file = dataFile(domain);
            if (!Files.exists(file)) {
                createOnFirstUse(domain);
            }
            FileTime written = Files.getLastModifiedTime(file);
            Cached cached = dataKeys.get(domain);
            if (cached == null || !cached.written().equals(written)) {
                cached = new Cached(written, streaming(openData(domain)));
                dataKeys.put(domain, cached);
            }
            return cached.aead();
        } catch (IOException e) {
            // an outage of the key store, never the blob's absence or damage: nothing is set aside or reported unknown
            throw new StorageUnavailableException("storage unavailable: the key of encryption domain " + domain
                    + " cannot be read (" + e.getMessage() + ")", domain);
        }
    }

    private synchronized void createOnFirstUse(String domain) throws IOException {
        if (Files.exists(dataFile(domain))) {
            return;
        }
        if (domain.equals(AES256_DOMAIN)) {
            write(dataFile(domain), sealData(domain, generate(PredefinedStreamingAeadParameters.AES256_GCM_HKDF_1MB), master));
        } else if (domain.equals("kms-" + MANAGED_KEY)) {
            createKey(MANAGED_KEY);
        } else {
            throw new NoSuchFileException(dataFile(domain).toString(), null, "no data key for " + domain);
        }
    }

    private KeysetHandle openData(String domain) throws IOException {
        return domain.equals(AES256_DOMAIN) ? openData(domain, master) : openData(domain, aead(kek(domain.substring(4))));
    }

    private KeysetHandle openData(String domain, Aead wrapping) throws IOException {
        return open(dataFile(domain), wrapping, "data:" + domain);
    }

    private KeysetHandle kek(String name) throws IOException {
        requireName(name);
        if (!Files.exists(kekFile(name))) {
            throw new IllegalArgumentException("no key named " + name);
        }
        return open(kekFile(name), master, "kek:" + name);
    }

    private static byte[] sealData(String domain, KeysetHandle data, Aead wrapping) {
        return seal(data, wrapping, "data:" + domain);
    }

    private static byte[] seal(KeysetHandle keyset, Aead wrapping, String associated) {
        try {
            return TinkProtoKeysetFormat.serializeEncryptedKeyset(keyset, wrapping, bytes(associated));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot seal keyset " + associated, e);
        }
    }

    private static KeysetHandle open(Path file, Aead wrapping, String associated) throws IOException {
        try {
            return TinkProtoKeysetFormat.parseEncryptedKeyset(Files.readAllBytes(file), wrapping, bytes(associated));
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot open keyset " + file + ": wrong master key, or the file was altered", e);
        }
    }

    private static StreamingAead streaming(KeysetHandle data) {
        try {
            return data.getPrimitive(RegistryConfiguration.get(), StreamingAead.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Aead aead(KeysetHandle kek) {
        try {
            return kek.getPrimitive(RegistryConfiguration.get(), Aead.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeysetHandle generate(com.google.crypto.tink.Parameters parameters) {
        try {
            return KeysetHandle.generateNew(parameters);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeysetHandle addPrimary(KeysetHandle keyset, com.google.crypto.tink.Parameters parameters) {
        try {
            return KeysetHandle.newBuilder(keyset)
                    .addEntry(KeysetHandle.generateEntryFromParameters(parameters).withRandomId().makePrimary())
                    .build();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Written to a private temporary file and renamed: a reader sees the old keyset or the new, whole. */
    private void write(Path file, byte[] bytes) throws IOException {
        Path tmp = Files.createTempFile(dir, ".keyset", ".tmp", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rw-------")));
        try {
            Files.write(tmp, bytes);
            try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void requireName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a key name is 1 to 64 letters, digits, '-' or '_': " + name);
        }
    }

    private Path kekFile(String name) {
        return dir.resolve("kek-" + name + ".keyset");
    }

    private Path dataFile(String domain) {
        return dir.resolve("data-" + domain + ".keyset");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
