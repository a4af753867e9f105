package io.wharf.storage.jdbc;

import io.wharf.core.identity.AccessKey;
import io.wharf.core.identity.IamUser;
import io.wharf.core.identity.IamRole;
import io.wharf.core.identity.IdentityException;
import io.wharf.core.identity.IdentityNames;
import io.wharf.core.identity.MfaDevice;
import io.wharf.core.identity.OidcProvider;
import io.wharf.core.identity.IdentityStore;
import io.wharf.core.identity.SecretSealer;
import io.wharf.core.identity.UserPolicy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * {@link IdentityStore} over the {@code iam_*} tables of the metadata database. It shares the
 * metadata store's connection pools rather than opening its own: SQLite has one writer, and a
 * second write pool would only turn waiting into SQLITE_BUSY failures. Secrets are written sealed.
 * Every write announces itself as an identity change ({@link SqlDialect#announce}): the other nodes of a
 * shared database drop their cached identity policies when it commits.
 */
public final class JdbcIdentityStore implements IdentityStore {
    private static final String KEY_COLUMNS = "id, account, user_name, secret, status, created_at";
    private static final String OIDC_COLUMNS = "account, issuer_key, issuer, client_ids, jwks_url, created_at";
    private static final String ROLE_COLUMNS = "account, name, trust_policy, max_session_seconds, created_at";
    private static final String FIND_USER = "SELECT account, name, created_at FROM iam_user WHERE account = ? AND name = ?";

    private final Jdbc jdbc;
    private final SecretSealer sealer;

    private JdbcIdentityStore(Jdbc jdbc, SecretSealer sealer) {
        this.jdbc = jdbc;
        this.sealer = sealer;
    }

    /** An identity store in the same database as {@code metadata}; closing {@code metadata} closes both. */
    public static JdbcIdentityStore sharing(JdbcMetadataStore metadata, SecretSealer sealer) {
        return new JdbcIdentityStore(metadata.jdbc(), sealer);
    }

    /** A write that other nodes hear of as an identity change once it commits. */
    private <T> T write(String what, Jdbc.Work<T> work) {
        return jdbc.write(what, c -> {
            T result = work.run(c);
            jdbc.announce(c, PostgresListener.IDENTITY);
            return result;
        });
    }

    /** An insert that skips an existing row: nodes ensuring the same account at once do not collide. */
    @Override
    public void ensureAccount(String account, Instant now) {
        String insert = jdbc.dialect().insertIgnore("iam_account", List.of("id", "created_at"), List.of("id"));
        write("ensure account", c -> Jdbc.update(c, insert, account, now));
    }

    @Override
    public boolean accountExists(String account) {
        return jdbc.read("find account", c -> accountExists(c, account));
    }

    private static boolean accountExists(Connection c, String account) throws SQLException {
        return Jdbc.queryOne(c, "SELECT id FROM iam_account WHERE id = ?", rs -> rs.getString("id"), account).isPresent();
    }

    @Override
    public IamUser createUser(String account, String name, Instant now) {
        return write("create user", c -> {
            lockAccount(c, account);
            requireAccount(c, account);
            if (findUser(c, account, name).isPresent()) {
                throw new IdentityException(IdentityException.Kind.ENTITY_ALREADY_EXISTS, "User with name " + name + " already exists.");
            }
            Jdbc.update(c, "INSERT INTO iam_user (account, name, created_at) VALUES (?, ?, ?)", account, name, now);
            return new IamUser(account, name, now);
        });
    }

    @Override
    public Optional<IamUser> findUser(String account, String name) {
        return jdbc.read("find user", c -> findUser(c, account, name));
    }

    private static Optional<IamUser> findUser(Connection c, String account, String name) throws SQLException {
        return Jdbc.queryOne(c, FIND_USER, JdbcIdentityStore::user, account, name);
    }

    @Override
    public List<IamUser> listUsers(String account) {
        return jdbc.read("list users", c -> Jdbc.query(c,
                "SELECT account, name, created_at FROM iam_user WHERE account = ? ORDER BY name", JdbcIdentityStore::user, account));
    }

    @Override
    public boolean deleteUser(String account, String name) {
        // keys and policies go with the user (ON DELETE CASCADE)
        return write("delete user", c ->
                Jdbc.update(c, "DELETE FROM iam_user WHERE account = ? AND name = ?", account, name) > 0);
    }

    @Override
    public void createAccessKey(AccessKey key) {
        byte[] sealed = sealer.seal(key.id(), key.secret());
        write("create access key", c -> {
            lockAccount(c, key.account());
            requireAccount(c, key.account());
            String owner = key.user() == null ? null : findUser(c, key.account(), key.user())
                    .orElseThrow(() -> IdentityException.noSuchUser(key.account(), key.user())).name();
            if (Jdbc.queryOne(c, "SELECT id FROM iam_access_key WHERE id = ?", rs -> rs.getString("id"), key.id()).isPresent()) {
                throw new IdentityException(IdentityException.Kind.ENTITY_ALREADY_EXISTS, "Access key " + key.id() + " already exists.");
            }
            Jdbc.update(c, "INSERT INTO iam_access_key (" + KEY_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)",
                    key.id(), key.account(), owner, sealed, key.status().wire(), key.createdAt());
            return null;
        });
    }

    /** Under a lock per owner, so that the check and the insert are one step for every node. */
    @Override
    public boolean createFirstAccessKey(AccessKey key) {
        return write("create the first access key", c -> {
            jdbc.lock(c, "iam-first-key:" + key.account() + ":" + key.user());
            if (!Jdbc.query(c, "SELECT id FROM iam_access_key WHERE account = ? AND "
                    + (key.user() == null ? "user_name IS NULL" : "user_name = ?"), rs -> 1,
                    key.user() == null ? new Object[] {key.account()} : new Object[] {key.account(), key.user()}).isEmpty()) {
                return false;
            }
            createAccessKey(key); // joins this transaction
            return true;
        });
    }

    @Override
    public Optional<AccessKey> findAccessKey(String id) {
        return jdbc.read("find access key", c -> Jdbc.queryOne(c,
                "SELECT " + KEY_COLUMNS + " FROM iam_access_key WHERE id = ?", this::accessKey, id));
    }

    @Override
    public List<AccessKey> listAccessKeys(String account, String user) {
        String owner = user == null ? "user_name IS NULL" : "user_name = ?";
        String sql = "SELECT " + KEY_COLUMNS + " FROM iam_access_key WHERE account = ? AND " + owner + " ORDER BY created_at, id";
        Object[] args = user == null ? new Object[] {account} : new Object[] {account, user};
        return jdbc.read("list access keys", c -> Jdbc.query(c, sql, this::accessKey, args));
    }

    @Override
    public boolean deleteAccessKey(String id) {
        return write("delete access key", c -> Jdbc.update(c, "DELETE FROM iam_access_key WHERE id = ?", id) > 0);
    }

    @Override
    public boolean setAccessKeyStatus(String id, AccessKey.Status status) {
        return write("set access key status", c ->
                Jdbc.update(c, "UPDATE iam_access_key SET status = ? WHERE id = ?", status.wire(), id) > 0);
    }

    @Override
    public void putUserPolicy(String account, String user, UserPolicy policy) {
        write("put user policy", c -> {
            lockAccount(c, account);
            String owner = findUser(c, account, user).orElseThrow(() -> IdentityException.noSuchUser(account, user)).name();
            putPolicy(c, "iam_user_policy", "user_name", account, owner, policy);
            return null;
        });
    }

    /** Replaces or adds an inline policy of a user or a role ({@code table}, its owner in {@code ownerColumn}). */
    private static void putPolicy(Connection c, String table, String ownerColumn, String account, String owner,
                                  UserPolicy policy) throws SQLException {
        int updated = Jdbc.update(c, "UPDATE " + table + " SET document = ? WHERE account = ? AND " + ownerColumn
                + " = ? AND name = ?", policy.document(), account, owner, policy.name());
        if (updated == 0) {
            Jdbc.update(c, "INSERT INTO " + table + " (account, " + ownerColumn + ", name, document) VALUES (?, ?, ?, ?)",
                    account, owner, policy.name(), policy.document());
        }
    }

    @Override
    public boolean deleteUserPolicy(String account, String user, String policyName) {
        return write("delete user policy", c -> Jdbc.update(c,
                "DELETE FROM iam_user_policy WHERE account = ? AND user_name = ? AND name = ?", account, user, policyName) > 0);
    }

    @Override
    public List<UserPolicy> listUserPolicies(String account, String user) {
        return jdbc.read("list user policies", c -> Jdbc.query(c,
                "SELECT name, document FROM iam_user_policy WHERE account = ? AND user_name = ? ORDER BY name",
                rs -> new UserPolicy(rs.getString("name"), rs.getString("document")), account, user));
    }

    @Override
    public IamRole createRole(IamRole role) {
        return write("create role", c -> {
            lockAccount(c, role.account());
            requireAccount(c, role.account());
            if (findRole(c, role.account(), role.name()).isPresent()) {
                throw new IdentityException(IdentityException.Kind.ENTITY_ALREADY_EXISTS,
                        "Role with name " + role.name() + " already exists.");
            }
            Jdbc.update(c, "INSERT INTO iam_role (" + ROLE_COLUMNS + ") VALUES (?, ?, ?, ?, ?)", role.account(), role.name(),
                    role.trustPolicy(), role.maxSessionDuration().toSeconds(), role.createdAt());
            return role;
        });
    }

    @Override
    public Optional<IamRole> findRole(String account, String name) {
        return jdbc.read("find role", c -> findRole(c, account, name));
    }

    private static Optional<IamRole> findRole(Connection c, String account, String name) throws SQLException {
        return Jdbc.queryOne(c, "SELECT " + ROLE_COLUMNS + " FROM iam_role WHERE account = ? AND name = ?",
                JdbcIdentityStore::role, account, name);
    }

    @Override
    public List<IamRole> listRoles(String account) {
        return jdbc.read("list roles", c -> Jdbc.query(c,
                "SELECT " + ROLE_COLUMNS + " FROM iam_role WHERE account = ? ORDER BY name", JdbcIdentityStore::role, account));
    }

    @Override
    public boolean deleteRole(String account, String name) {
        // its policies go with it (ON DELETE CASCADE)
        return write("delete role", c -> Jdbc.update(c, "DELETE FROM iam_role WHERE account = ? AND name = ?", account, name) > 0);
    }

    @Override
    public void putRolePolicy(String account, String role, UserPolicy policy) {
        write("put role policy", c -> {
            lockAccount(c, account);
            String owner = findRole(c, account, role).orElseThrow(() -> IdentityException.noSuchRole(account, role)).name();
            putPolicy(c, "iam_role_policy", "role_name", account, owner, policy);
            return null;
        });
    }

    @Override
    public boolean deleteRolePolicy(String account, String role, String policyName) {
        return write("delete role policy", c -> Jdbc.update(c,
                "DELETE FROM iam_role_policy WHERE account = ? AND role_name = ? AND name = ?", account, role, policyName) > 0);
    }

    @Override
    public List<UserPolicy> listRolePolicies(String account, String role) {
        return jdbc.read("list role policies", c -> Jdbc.query(c,
                "SELECT name, document FROM iam_role_policy WHERE account = ? AND role_name = ? ORDER BY name",
                rs -> new UserPolicy(rs.getString("name"), rs.getString("document")), account, role));
    }

    /** The secret is sealed bound to the device's serial number (with the user's name as stored). */
    @Override
    public void createMfaDevice(MfaDevice device) {
        write("create MFA device", c -> {
            lockAccount(c, device.account());
            String owner = findUser(c, device.account(), device.user())
                    .orElseThrow(() -> IdentityException.noSuchUser(device.account(), device.user())).name();
            if (Jdbc.queryOne(c, "SELECT user_name FROM iam_mfa_device WHERE account = ? AND user_name = ?",
                    rs -> 1, device.account(), owner).isPresent()) {
                throw new IdentityException(IdentityException.Kind.ENTITY_ALREADY_EXISTS,
                        "MFA device " + IdentityNames.mfaArn(device.account(), owner) + " already exists.");
            }
            byte[] sealed = sealer.seal(IdentityNames.mfaArn(device.account(), owner),
                    Base64.getEncoder().encodeToString(device.secret()));
            Jdbc.update(c, "INSERT INTO iam_mfa_device (account, user_name, secret, last_used_step, created_at) "
                    + "VALUES (?, ?, ?, ?, ?)", device.account(), owner, sealed, device.lastUsedStep(), device.createdAt());
            return null;
        });
    }

    @Override
    public Optional<MfaDevice> findMfaDevice(String account, String user) {
        return jdbc.read("find MFA device", c -> Jdbc.queryOne(c, "SELECT account, user_name, secret, last_used_step, "
                + "created_at FROM iam_mfa_device WHERE account = ? AND user_name = ?", this::mfaDevice, account, user));
    }

    @Override
    public boolean deleteMfaDevice(String account, String user) {
        return write("delete MFA device", c -> Jdbc.update(c,
                "DELETE FROM iam_mfa_device WHERE account = ? AND user_name = ?", account, user) > 0);
    }

    /** Compare-and-set in one statement: of two nodes accepting the same code, one updates the row. */
    @Override
    public boolean useMfaStep(String account, String user, long step) {
        return write("use MFA code", c -> Jdbc.update(c, "UPDATE iam_mfa_device SET last_used_step = ? "
                + "WHERE account = ? AND user_name = ? AND last_used_step < ?", step, account, user, step) > 0);
    }

    @Override
    public void createOidcProvider(OidcProvider provider) {
        write("create OIDC provider", c -> {
            lockAccount(c, provider.account());
            requireAccount(c, provider.account());
            if (findOidcProvider(c, provider.account(), provider.key()).isPresent()) {
                throw new IdentityException(IdentityException.Kind.ENTITY_ALREADY_EXISTS,
                        "Provider with url " + provider.issuer() + " already exists.");
            }
            Jdbc.update(c, "INSERT INTO iam_oidc_provider (" + OIDC_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)",
                    provider.account(), provider.key(), provider.issuer(), String.join("\n", provider.clientIds()),
                    provider.jwksUrl(), provider.createdAt());
            return null;
        });
    }

    @Override
    public Optional<OidcProvider> findOidcProvider(String account, String key) {
        return jdbc.read("find OIDC provider", c -> findOidcProvider(c, account, key));
    }

    private static Optional<OidcProvider> findOidcProvider(Connection c, String account, String key) throws SQLException {
        return Jdbc.queryOne(c, "SELECT " + OIDC_COLUMNS + " FROM iam_oidc_provider WHERE account = ? AND issuer_key = ?",
                JdbcIdentityStore::oidcProvider, account, key);
    }

    @Override
    public List<OidcProvider> listOidcProviders(String account) {
        return jdbc.read("list OIDC providers", c -> Jdbc.query(c, "SELECT " + OIDC_COLUMNS
                + " FROM iam_oidc_provider WHERE account = ? ORDER BY issuer_key", JdbcIdentityStore::oidcProvider, account));
    }

    @Override
    public boolean deleteOidcProvider(String account, String key) {
        return write("delete OIDC provider", c -> Jdbc.update(c,
                "DELETE FROM iam_oidc_provider WHERE account = ? AND issuer_key = ?", account, key) > 0);
    }

    private static OidcProvider oidcProvider(ResultSet rs) throws SQLException {
        return new OidcProvider(rs.getString("account"), rs.getString("issuer"),
                List.of(rs.getString("client_ids").split("\n")), rs.getString("jwks_url"), Jdbc.instant(rs, "created_at"));
    }

    private static IamRole role(ResultSet rs) throws SQLException {
        return new IamRole(rs.getString("account"), rs.getString("name"), rs.getString("trust_policy"),
                Duration.ofSeconds(rs.getLong("max_session_seconds")), Jdbc.instant(rs, "created_at"));
    }

    private MfaDevice mfaDevice(ResultSet rs) throws SQLException {
        String account = rs.getString("account");
        String user = rs.getString("user_name");
        byte[] secret = Base64.getDecoder().decode(sealer.open(IdentityNames.mfaArn(account, user), rs.getBytes("secret")));
        return new MfaDevice(account, user, secret, rs.getLong("last_used_step"), Jdbc.instant(rs, "created_at"));
    }

    /**
     * Each write that checks before it inserts holds its account's lock, so that writers on several connections
     * (PostgreSQL) cannot both pass the check: the second sees the first's row, not a key violation. Identity
     * writes are rare; one lock per account is plenty.
     */
    private void lockAccount(Connection c, String account) throws SQLException {
        jdbc.lock(c, "iam account " + account);
    }

    private static void requireAccount(Connection c, String account) throws SQLException {
        if (!accountExists(c, account)) {
            throw new IdentityException(IdentityException.Kind.NO_SUCH_ENTITY, "Account " + account + " does not exist.");
        }
    }

    private static IamUser user(ResultSet rs) throws SQLException {
        return new IamUser(rs.getString("account"), rs.getString("name"), Jdbc.instant(rs, "created_at"));
    }

    private AccessKey accessKey(ResultSet rs) throws SQLException {
        String id = rs.getString("id");
        AccessKey.Status status = "Active".equals(rs.getString("status")) ? AccessKey.Status.ACTIVE : AccessKey.Status.INACTIVE;
        return new AccessKey(id, sealer.open(id, rs.getBytes("secret")), rs.getString("account"),
                rs.getString("user_name"), status, Jdbc.instant(rs, "created_at"));
    }
}
