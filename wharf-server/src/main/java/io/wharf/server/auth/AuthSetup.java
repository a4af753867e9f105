package io.wharf.server.auth;

import io.wharf.core.identity.AccessKey;
import io.wharf.core.identity.Identities;
import io.wharf.server.config.WharfConfig;
import io.wharf.storage.jdbc.JdbcIdentityStore;
import io.wharf.storage.jdbc.JdbcMetadataStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
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

    /** The identities of the data directory, in its metadata database. */
    public static Identities identities(Path data, JdbcMetadataStore metadata, Clock clock) throws IOException {
        SecureRandom random = new SecureRandom();
        byte[] key = KeyFiles.loadOrCreate(data, SECRET_KEY_FILE, AesGcmSecretSealer.KEY_BYTES, random);
        return new Identities(JdbcIdentityStore.sharing(metadata, new AesGcmSecretSealer(key, random)), clock, random);
    }

    /**
     * {@link DisabledAuth} when {@code auth.enabled} is false (nothing is created then); otherwise
     * makes sure the root has a key, announcing a new one on {@code err}, and returns {@link IamAuth}.
     */
    public static Auth open(WharfConfig config, JdbcMetadataStore metadata, ResourcePolicies policies,
                            Map<String, String> env, PrintWriter err) throws IOException {
        Clock clock = Clock.systemUTC();
        if (!config.auth().enabled()) {
            LOG.warn("authentication is off (auth.enabled=false): every request, from anyone who can reach {}, acts as "
                    + "the root of account {}; this is for local development only", config.listen(), config.account());
            return new DisabledAuth(config.account(), clock);
        }
        Identities identities = identities(config.data(), metadata, clock);
        bootstrapRoot(config, identities, env, err);
        IdentityChanges changes = new IdentityChanges(config.data());
        return new IamAuth(identities.store(), tokens(config, clock), policies, clock, IamAuth.DEFAULT_CACHE_TTL,
                changes::changedSinceLastCheck);
    }

    /** The registry tokens of the data directory: its signing key, created on first use, and the configured TTL. */
    public static RegistryTokens tokens(WharfConfig config, Clock clock) throws IOException {
        byte[] key = KeyFiles.loadOrCreate(config.data(), RegistryTokens.KEY_FILE, RegistryTokens.KEY_BYTES,
                new SecureRandom());
        return new RegistryTokens(key, clock, config.auth().tokenTtl());
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
        err.println("Without the aws CLI: `wharf iam login-password --root --data " + config.data()
                + "` prints a password for user AWS.");
        err.println("Create IAM users and their keys with `wharf iam --data " + config.data() + " ...`.");
        err.println();
        err.flush();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
