package io.wharf.server.auth;

import io.wharf.core.identity.AccessKey;
import io.wharf.core.identity.Identities;
import io.wharf.server.config.WharfConfig;
import io.wharf.server.config.ConfigException;
import io.wharf.server.config.ConfigKey;
import io.wharf.storage.jdbc.JdbcIdentityStore;
import io.wharf.storage.jdbc.JdbcServerSecrets;
import io.wharf.storage.jdbc.JdbcMetadataStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the {@link Auth} of a data directory: the identity store beside the metadata, the keys in
 * {@code <data>/keys/}, and on the first start with auth enabled, the account root's access key.
 */
public final class AuthSetup {
    public static final String ENV_ROOT_KEY_ID = "WHARF_ROOT_ACCESS_KEY_ID";
    public static final String ENV_ROOT_SECRET = "WHARF_ROOT_SECRET_ACCESS_KEY";
    /** The root's key, as an AWS shared credentials file with a {@code [wharf]} profile. */
    public static final String CREDENTIALS_FILE = "root-credentials";
    /** Name of the file in {@code <data>/keys/} whose key seals access-key secrets in the database. */
    public static final String SECRET_KEY_FILE = "secret-sealing-key";
    private static final Logger LOG = LoggerFactory.getLogger(AuthSetup.class);

    private AuthSetup() {
    }

    /** The secret of the registry-token signing key in the shared database's {@code server_secret} table. */
    static final String TOKEN_KEY_SECRET = "registry-token-key";

    /** The identities in the metadata database, their secrets sealed with {@link #sealer}'s key. */
    public static Identities identities(WharfConfig config, JdbcMetadataStore metadata, Clock clock) throws IOException {
        SecureRandom random = new SecureRandom();
        return new Identities(JdbcIdentityStore.sharing(metadata, sealer(config, random)), clock, random);
    }

    /**
     * Seals secrets in the database: with {@code auth.sealing-key}, that key (every node of a cluster the same);
     * without it, {@code <data>/keys/secret-sealing-key}, created on first use (the single-node default).
     */
    static AesGcmSecretSealer sealer(WharfConfig config, SecureRandom random) throws IOException {
        Optional<WharfConfig.SealingKey> configured = config.auth().sealingKey();
        if (configured.isPresent()) {
            return new AesGcmSecretSealer(configured.get().bytes(), random);
        }
        if (config.storage().shared()) {
            throw new ConfigException("a shared database needs " + ConfigKey.AUTH_SEALING_KEY.path() + " ("
                    + ConfigKey.AUTH_SEALING_KEY.env() + "): every node must seal and open secrets with the same key");
        }
        byte[] key = KeyFiles.loadOrCreate(config.data(), SECRET_KEY_FILE, AesGcmSecretSealer.KEY_BYTES, random);
        return new AesGcmSecretSealer(key, random);
    }

    /**
     * {@link DisabledAuth} when {@code auth.enabled} is false (nothing is created then); otherwise
     * makes sure the root has a key, announcing a new one on {@code err}, and returns {@link IamAuth}.
     */
    public static Auth open(WharfConfig config, JdbcMetadataStore metadata, ResourcePolicies policies,
                            Map<String, String> env, PrintWriter err) throws IOException {
        return open(config, metadata, policies, env, err, Clock.systemUTC());
    }

    /** As above, with the clock that decides expiry (tests move it). */
    public static Auth open(WharfConfig config, JdbcMetadataStore metadata, ResourcePolicies policies,
                            Map<String, String> env, PrintWriter err, Clock clock) throws IOException {
        if (!config.auth().enabled()) {
            LOG.warn("authentication is off (auth.enabled=false): every request, from anyone who can reach {}, acts as "
                    + "the root of account {}; this is for local development only", config.listen(), config.account());
            return new DisabledAuth(config.account(), clock);
        }
        Identities identities = identities(config, metadata, clock);
        bootstrapRoot(config, identities, env, err);
        SecureRandom random = new SecureRandom();
        // session tokens are sealed with the key that seals secrets in the database: every node of a cluster has it
        SessionTokens sessions = new SessionTokens(sealer(config, random), clock, random);
        WebIdentityTokens webIdentities = new WebIdentityTokens(identities.store(), clock, config.auth().jwksCacheTtl());
        return new IamAuth(identities.store(), tokens(config, metadata, clock), sessions, webIdentities, policies, clock,
                IamAuth.DEFAULT_CACHE_TTL, identityChanges(config, metadata));
    }

    /**
     * When cached identity policies must go: a shared database tells of identity writes by any process (a
     * notification in the writing transaction); the single-node default watches {@code wharf iam}'s marker file.
     */
    private static BooleanSupplier identityChanges(WharfConfig config, JdbcMetadataStore metadata) {
        Optional<LongSupplier> version = metadata.identityVersion();
        if (version.isPresent()) {
            return IdentityChanges.watching(version.get());
        }
        return new IdentityChanges(config.data())::changedSinceLastCheck;
    }

    /**
     * The registry tokens: their signing key, created on first use, and the configured TTL. With a shared database
     * the key is in it, sealed, so that a token one node issues is accepted by all; else in {@code <data>/keys/}.
     */
    public static RegistryTokens tokens(WharfConfig config, JdbcMetadataStore metadata, Clock clock) throws IOException {
        SecureRandom random = new SecureRandom();
        byte[] key = config.storage().shared() ? sharedTokenKey(config, metadata, random)
                : KeyFiles.loadOrCreate(config.data(), RegistryTokens.KEY_FILE, RegistryTokens.KEY_BYTES, random);
        return new RegistryTokens(key, clock, config.auth().tokenTtl());
    }

    /** The first node to need it creates it; every node opens the same row. */
    private static byte[] sharedTokenKey(WharfConfig config, JdbcMetadataStore metadata, SecureRandom random)
            throws IOException {
        AesGcmSecretSealer sealer = sealer(config, random);
        byte[] candidate = new byte[RegistryTokens.KEY_BYTES];
        random.nextBytes(candidate);
        byte[] sealed = JdbcServerSecrets.sharing(metadata).getOrCreate(TOKEN_KEY_SECRET,
                sealer.seal(TOKEN_KEY_SECRET, Base64.getEncoder().encodeToString(candidate)), Instant.now());
        byte[] key = Base64.getDecoder().decode(sealer.open(TOKEN_KEY_SECRET, sealed));
        if (key.length != RegistryTokens.KEY_BYTES) {
            throw new IllegalStateException("the shared registry-token key holds " + key.length + " bytes, expected "
                    + RegistryTokens.KEY_BYTES);
        }
        return key;
    }

    /**
     * Moves a single-node data directory's secrets into a cluster's database ({@code wharf migrate}): access-key
     * secrets are opened with the source's key file and sealed with the target's {@code auth.sealing-key}; the
     * source's registry-token signing key becomes the cluster's, so tokens it issued stay valid.
     */
    public record Resealer(AesGcmSecretSealer from, AesGcmSecretSealer to, byte[] tokenKey) {

        /** An access key's secret, sealed for the target. */
        public byte[] reseal(String keyId, byte[] sealed) {
            if (from == null) {
                throw new IllegalStateException("the source has access keys but no keys/" + SECRET_KEY_FILE + " to open them");
            }
            if (to == null) {
                throw new ConfigException("the source has access keys: the target configuration needs "
                        + ConfigKey.AUTH_SEALING_KEY.path() + " to seal them");
            }
            return to.seal(keyId, from.open(keyId, sealed));
        }

        /** Stores the source's signing key in the target database, if the source had one and the target can seal it. */
        public void copyTokenKey(JdbcMetadataStore metadata) {
            if (tokenKey != null && to != null) {
                JdbcServerSecrets.sharing(metadata).getOrCreate(TOKEN_KEY_SECRET,
                        to.seal(TOKEN_KEY_SECRET, Base64.getEncoder().encodeToString(tokenKey)), Instant.now());
            }
        }
    }

    /** The {@link Resealer} from the key files of {@code sourceData} to {@code target}'s configured key. */
    public static Resealer resealer(Path sourceData, WharfConfig target) throws IOException {
        SecureRandom random = new SecureRandom();
        Path keys = sourceData.resolve(KeyFiles.DIRECTORY);
        AesGcmSecretSealer from = !Files.isRegularFile(keys.resolve(SECRET_KEY_FILE)) ? null : new AesGcmSecretSealer(
                KeyFiles.loadOrCreate(sourceData, SECRET_KEY_FILE, AesGcmSecretSealer.KEY_BYTES, random), random);
        AesGcmSecretSealer to = target.auth().sealingKey()
                .map(k -> new AesGcmSecretSealer(k.bytes(), random)).orElse(null);
        byte[] tokenKey = !Files.isRegularFile(keys.resolve(RegistryTokens.KEY_FILE)) ? null
                : KeyFiles.loadOrCreate(sourceData, RegistryTokens.KEY_FILE, RegistryTokens.KEY_BYTES, random);
        return new Resealer(from, to, tokenKey);
    }

    private static void bootstrapRoot(WharfConfig config, Identities identities, Map<String, String> env,
                                      PrintWriter err) throws IOException {
        String id = blankToNull(env.get(ENV_ROOT_KEY_ID));
        String secret = blankToNull(env.get(ENV_ROOT_SECRET));
        Optional<AccessKey> created = identities.bootstrapRootKey(config.account(), id, secret);
        if (created.isEmpty()) {
            warnIfIgnored(identities.listAccessKeys(config.account(), null), id);
            return;
        }
        AccessKey key = created.get();
        Path file = config.data().resolve(CREDENTIALS_FILE);
        KeyFiles.replacePrivate(file, credentialsFile(key).getBytes(StandardCharsets.UTF_8));
        LOG.info("created access key {} for the root of account {}; credentials in {}", key.id(), key.account(), file);
        if (id == null) {
            announce(err, key, file, config);
        }
    }

    private static void warnIfIgnored(List<AccessKey> rootKeys, String envId) {
        if (envId != null && rootKeys.stream().noneMatch(k -> k.id().equals(envId))) {
            LOG.warn("{} is ignored: the root already has an access key; manage keys with `wharf iam`", ENV_ROOT_KEY_ID);
        }
    }

    /** The AWS CLI / SDK shared credentials format, so the file works as AWS_SHARED_CREDENTIALS_FILE. */
    static String credentialsFile(AccessKey key) {
        return "# Wharf: access key of the root of account " + key.account() + ", created " + key.createdAt() + "\n"
                + "[wharf]\n"
                + "aws_access_key_id = " + key.id() + "\n"
                + "aws_secret_access_key = " + key.secret() + "\n";
    }

    /** Printed once, on stderr and never to the log: the one time a generated secret is shown. */
    private static void announce(PrintWriter err, AccessKey key, Path file, WharfConfig config) {
        String endpoint = (config.tls().isPresent() ? "https://" : "http://") + config.listen();
        err.println();
        err.println("Wharf generated an access key for the root of account " + key.account() + ":");
        err.println("  AWS_ACCESS_KEY_ID=" + key.id());
        err.println("  AWS_SECRET_ACCESS_KEY=" + key.secret());
        err.println("It is saved in " + file + " (mode 0600, profile [wharf]) and is not shown again. To use it:");
        err.println("  export AWS_SHARED_CREDENTIALS_FILE=" + file + " AWS_PROFILE=wharf AWS_REGION=" + config.region());
        err.println("  aws --endpoint-url " + endpoint + " ecr get-login-password | docker login -u AWS --password-stdin "
                + config.listen());
        String where = config.storage().shared() ? "-c <this node's config file>" : "--data " + config.data();
        err.println("Without the aws CLI: `wharf iam login-password --root " + where + "` prints a password for user AWS.");
        err.println("Create IAM users and their keys with `wharf iam " + where + " ...`.");
        if (config.storage().shared()) {
            err.println("This node created the key for the whole cluster; the other nodes do not print it. Another "
                    + "root key: `wharf iam " + where + " create-access-key --root`.");
        }
        err.println();
        err.flush();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
