package io.wharf.server.cli;

import ch.qos.logback.classic.Level;
import io.wharf.core.iam.Principal;
import io.wharf.core.identity.AccessKey;
import io.wharf.core.identity.IamRole;
import io.wharf.core.identity.IamUser;
import io.wharf.core.identity.Identities;
import io.wharf.core.identity.IdentityException;
import io.wharf.core.identity.MfaDevice;
import io.wharf.core.identity.Totp;
import io.wharf.core.identity.UserPolicy;
import io.wharf.server.auth.AuthSetup;
import io.wharf.server.auth.IdentityChanges;
import io.wharf.server.config.ConfigException;
import io.wharf.server.config.ConfigKey;
import io.wharf.server.config.ConfigLoader;
import io.wharf.server.config.WharfConfig;
import io.wharf.storage.jdbc.JdbcMetadataStore;
import io.wharf.server.app.Storage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code wharf iam}: manages IAM users, access keys and inline policies directly in a data directory
 * (SQLite in WAL mode lets it run beside a serving {@code wharf serve}). Exit status: 0 done,
 * 1 refused or failed (no such user, already exists, storage error), 2 bad usage or input.
 */
@Command(name = "iam", mixinStandardHelpOptions = true, sortOptions = false,
        versionProvider = WharfCommand.VersionProvider.class,
        description = {"Manages IAM users, their access keys, MFA devices and identity policies, and roles, in a data directory.",
                "Works while the server runs; changes apply to it within seconds."})
final class IamCommand {

    /** The work of one subcommand, given the identities of the data directory and the account. */
    @FunctionalInterface
    private interface Action {
        void run(Identities identities, String account) throws IOException;
    }

    @Mixin
    private AccountStoreOptions store;

    private final Map<String, String> env;
    /** The configuration {@link #run} loaded, for actions that need more than the identities. */
    private WharfConfig loaded;
    /** The metadata {@link #run} opened, for actions that need more than the identities (the token signing key). */
    private JdbcMetadataStore metadata;
    private final PrintWriter out;
    private final PrintWriter err;

    IamCommand(Map<String, String> env, PrintWriter out, PrintWriter err) {
        this.env = env;
        this.out = out;
        this.err = err;
    }

    @Command(name = "create-user", description = "Creates an IAM user; prints its ARN.")
    int createUser(@Parameters(paramLabel = "NAME") String name) {
        return run((ids, acct) -> out.println(ids.createUser(acct, name).arn()));
    }

    @Command(name = "delete-user", description = "Deletes a user together with its access keys and policies.")
    int deleteUser(@Parameters(paramLabel = "NAME") String name) {
        return run((ids, acct) -> ids.deleteUser(acct, name));
    }

    @Command(name = "list-users", description = "Lists users: name, ARN, creation time.")
    int listUsers() {
        return run((ids, acct) -> {
            for (IamUser u : ids.listUsers(acct)) {
                out.println(u.name() + "\t" + u.arn() + "\t" + u.createdAt());
            }
        });
    }

    @Command(name = "create-access-key", description = {"Creates an access key for USER (or the root with --root)",
            "and prints it once, as AWS_ACCESS_KEY_ID=... and AWS_SECRET_ACCESS_KEY=... lines."})
    int createAccessKey(@Parameters(paramLabel = "USER", arity = "0..1") String user,
                        @Option(names = "--root", description = "A key of the account root.") boolean root) {
        return runFor(user, root, (ids, acct) -> {
            AccessKey key = ids.createAccessKey(acct, user);
            out.println("AWS_ACCESS_KEY_ID=" + key.id());
            out.println("AWS_SECRET_ACCESS_KEY=" + key.secret());
            err.println("wharf iam: the secret access key is shown only now; store it safely");
        });
    }

    @Command(name = "login-password", description = {"Prints a registry password for USER (or the root with --root),",
            "as `aws ecr get-login-password` does: log in with user name AWS. It is valid for auth.token-ttl."})
    int loginPassword(@Parameters(paramLabel = "USER", arity = "0..1") String user,
                      @Option(names = "--root", description = "A password of the account root.") boolean root) {
        return runFor(user, root, (ids, acct) -> {
            if (!root && ids.listUsers(acct).stream().noneMatch(u -> u.name().equals(user))) {
                throw IdentityException.noSuchUser(acct, user);
            }
            Principal principal = root ? Principal.root(acct) : Principal.user(acct, user);
            out.println(AuthSetup.tokens(loaded, metadata, Clock.systemUTC()).issue(principal).password());
        });
    }

    @Command(name = "delete-access-key", description = "Deletes an access key of the account.")
    int deleteAccessKey(@Parameters(paramLabel = "ID") String id) {
        return run((ids, acct) -> ids.deleteAccessKey(acct, id));
    }

    @Command(name = "list-access-keys", description = "Lists the access keys of USER (or the root with --root): id, status, creation time.")
    int listAccessKeys(@Parameters(paramLabel = "USER", arity = "0..1") String user,
                       @Option(names = "--root", description = "The keys of the account root.") boolean root) {
        return runFor(user, root, (ids, acct) -> {
            for (AccessKey k : ids.listAccessKeys(acct, user)) {
                out.println(k.id() + "\t" + k.status().wire() + "\t" + k.createdAt());
            }
        });
    }

    @Command(name = "put-user-policy", description = "Adds or replaces an inline policy of USER from FILE (- for stdin).")
    int putUserPolicy(@Parameters(paramLabel = "USER") String user, @Parameters(paramLabel = "POLICY_NAME") String name,
                      @Parameters(paramLabel = "FILE") String file) {
        String document = readDocument(file);
        return document == null ? WharfCommand.EXIT_USAGE : run((ids, acct) -> ids.putUserPolicy(acct, user, name, document));
    }

    @Command(name = "get-user-policy", description = "Prints an inline policy of USER as it was put.")
    int getUserPolicy(@Parameters(paramLabel = "USER") String user, @Parameters(paramLabel = "POLICY_NAME") String name) {
        return run((ids, acct) -> out.println(ids.listUserPolicies(acct, user).stream()
                .filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new IdentityException(IdentityException.Kind.NO_SUCH_ENTITY,
                        "The user policy with name " + name + " cannot be found."))
                .document()));
    }

    @Command(name = "delete-user-policy", description = "Deletes an inline policy of USER.")
    int deleteUserPolicy(@Parameters(paramLabel = "USER") String user, @Parameters(paramLabel = "POLICY_NAME") String name) {
        return run((ids, acct) -> ids.deleteUserPolicy(acct, user, name));
    }

    @Command(name = "list-user-policies", description = "Lists the names of USER's inline policies.")
    int listUserPolicies(@Parameters(paramLabel = "USER") String user) {
        return run((ids, acct) -> ids.listUserPolicies(acct, user).stream().map(UserPolicy::name).forEach(out::println));
    }

    @Command(name = "create-role", description = {"Creates an IAM role whose trust policy (who may assume it) is in FILE",
            "(- for stdin); prints its ARN."})
    int createRole(@Parameters(paramLabel = "NAME") String name, @Parameters(paramLabel = "FILE") String file,
                   @Option(names = "--max-session-duration", paramLabel = "SECONDS",
                           description = "The longest session AssumeRole grants: 3600 (default) to 43200.") Long seconds) {
        String trust = readDocument(file);
        return trust == null ? WharfCommand.EXIT_USAGE : run((ids, acct) -> out.println(ids.createRole(acct, name, trust,
                seconds == null ? null : Duration.ofSeconds(seconds)).arn()));
    }

    @Command(name = "delete-role", description = "Deletes a role and its inline policies; its sessions stop working.")
    int deleteRole(@Parameters(paramLabel = "NAME") String name) {
        return run((ids, acct) -> ids.deleteRole(acct, name));
    }

    @Command(name = "list-roles", description = "Lists roles: name, ARN, maximum session seconds, creation time.")
    int listRoles() {
        return run((ids, acct) -> {
            for (IamRole r : ids.listRoles(acct)) {
                out.println(r.name() + "\t" + r.arn() + "\t" + r.maxSessionDuration().toSeconds() + "\t" + r.createdAt());
            }
        });
    }

    @Command(name = "get-role", description = "Prints a role's trust policy as it was put.")
    int getRole(@Parameters(paramLabel = "NAME") String name) {
        return run((ids, acct) -> out.println(ids.role(acct, name).trustPolicy()));
    }

    @Command(name = "put-role-policy", description = "Adds or replaces an inline policy of ROLE from FILE (- for stdin).")
    int putRolePolicy(@Parameters(paramLabel = "ROLE") String role, @Parameters(paramLabel = "POLICY_NAME") String name,
                      @Parameters(paramLabel = "FILE") String file) {
        String document = readDocument(file);
        return document == null ? WharfCommand.EXIT_USAGE : run((ids, acct) -> ids.putRolePolicy(acct, role, name, document));
    }

    @Command(name = "get-role-policy", description = "Prints an inline policy of ROLE as it was put.")
    int getRolePolicy(@Parameters(paramLabel = "ROLE") String role, @Parameters(paramLabel = "POLICY_NAME") String name) {
        return run((ids, acct) -> out.println(ids.listRolePolicies(acct, role).stream()
                .filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new IdentityException(IdentityException.Kind.NO_SUCH_ENTITY,
                        "The role policy with name " + name + " cannot be found."))
                .document()));
    }

    @Command(name = "delete-role-policy", description = "Deletes an inline policy of ROLE.")
    int deleteRolePolicy(@Parameters(paramLabel = "ROLE") String role, @Parameters(paramLabel = "POLICY_NAME") String name) {
        return run((ids, acct) -> ids.deleteRolePolicy(acct, role, name));
    }

    @Command(name = "list-role-policies", description = "Lists the names of ROLE's inline policies.")
    int listRolePolicies(@Parameters(paramLabel = "ROLE") String role) {
        return run((ids, acct) -> ids.listRolePolicies(acct, role).stream().map(UserPolicy::name).forEach(out::println));
    }

    @Command(name = "enable-mfa", description = {"Gives USER a virtual MFA device and prints, once, its serial number,",
            "its base32 secret and an otpauth:// URI for an authenticator app."})
    int enableMfa(@Parameters(paramLabel = "USER") String user) {
        return run((ids, acct) -> {
            MfaDevice device = ids.enableMfa(acct, user);
            out.println("SERIAL_NUMBER=" + device.serialNumber());
            out.println("SECRET=" + Totp.base32(device.secret()));
            out.println("URI=" + Totp.uri("Wharf", device.user() + "@" + acct, device.secret()));
            err.println("wharf iam: the MFA secret is shown only now; add it to an authenticator app");
        });
    }

    @Command(name = "deactivate-mfa", description = "Removes USER's virtual MFA device.")
    int deactivateMfa(@Parameters(paramLabel = "USER") String user) {
        return run((ids, acct) -> ids.deactivateMfa(acct, user));
    }

    @Command(name = "create-oidc-provider", description = {"Trusts an OpenID Connect issuer for AssumeRoleWithWebIdentity;",
            "prints the provider's ARN, which trust policies name as {\"Federated\": ARN}."})
    int createOidcProvider(@Parameters(paramLabel = "ISSUER", description = "The tokens' iss, an https URL.") String issuer,
                           @Option(names = "--client-id", required = true, paramLabel = "AUDIENCE",
                                   description = "An audience (aud) its tokens may carry; repeatable.") List<String> clientIds,
                           @Option(names = "--jwks-url", required = true, paramLabel = "URL",
                                   description = "Where the issuer publishes its signing keys (JWKS).") String jwksUrl) {
        return run((ids, acct) -> out.println(ids.createOidcProvider(acct, issuer, clientIds, jwksUrl).arn()));
    }

    @Command(name = "list-oidc-providers", description = "Lists OIDC providers: ARN, issuer, client ids, JWKS URL.")
    int listOidcProviders() {
        return run((ids, acct) -> ids.listOidcProviders(acct).forEach(p -> out.println(p.arn() + "\t" + p.issuer()
                + "\t" + String.join(",", p.clientIds()) + "\t" + p.jwksUrl())));
    }

    @Command(name = "delete-oidc-provider", description = "Deletes an OIDC provider, named by its ARN or issuer.")
    int deleteOidcProvider(@Parameters(paramLabel = "ARN_OR_ISSUER") String name) {
        return run((ids, acct) -> ids.deleteOidcProvider(acct, name));
    }

    /** A policy document from FILE or stdin ({@code -}); null (after saying why) when it cannot be read. */
    private String readDocument(String file) {
        try {
            return file.equals("-") ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
                    : Files.readString(Path.of(file));
        } catch (IOException | RuntimeException e) {
            err.println("wharf iam: cannot read the policy from " + file + ": " + e.getMessage());
            return null;
        }
    }

    /** {@link #run} for a subcommand about one USER or, with {@code --root}, the root: exactly one of them. */
    private int runFor(String user, boolean root, Action action) {
        if ((user == null) != root) {
            err.println("wharf iam: name a USER or give --root, not both or neither");
            return WharfCommand.EXIT_USAGE;
        }
        return run(action);
    }

    /** Loads the configuration, opens the data directory's identities, runs {@code action}, maps failures to exit codes. */
    private int run(Action action) {
        // start-up INFO lines (the schema version) would mix with the output scripts read
        ch.qos.logback.classic.Logger root = logbackRoot();
        Level level = root == null ? null : root.getLevel();
        if (root != null) {
            root.setLevel(Level.WARN);
        }
        try {
            return runQuietly(action);
        } finally {
            if (root != null) {
                root.setLevel(level); // embedded (tests, one JVM): leave logging as it was
            }
        }
    }

    private int runQuietly(Action action) {
        WharfConfig cfg;
        try {
            Map<String, String> flags = new HashMap<>();
            flags.put(ConfigKey.DATA.path(), store.data); // null: not given
            cfg = ConfigLoader.load(ConfigLoader.configFile(store.config, env), env, flags).config();
        } catch (ConfigException e) {
            return fail(WharfCommand.EXIT_USAGE, e.getMessage());
        }
        if (!cfg.storage().shared() && !Files.isDirectory(cfg.data())) {
            return fail(WharfCommand.EXIT_FAILURE, "no data directory at " + cfg.data()
                    + "; give --data, or start `wharf serve` once to create it");
        }
        loaded = cfg;
        String acct = store.account(cfg);
        try (Storage storage = Storage.open(cfg, Storage.Access.TOOL)) {
            metadata = storage.metadata();
            Identities identities = AuthSetup.identities(cfg, metadata, Clock.systemUTC());
            identities.ensureAccount(acct);
            action.run(identities, acct);
            if (!cfg.storage().shared()) {
                new IdentityChanges(cfg.data()).touch(); // a running server drops its cached identities at once
            } // a shared database tells every node itself (a notification in the writing transaction)
            out.flush();
            return 0;
        } catch (IdentityException e) {
            boolean usage = e.kind() == IdentityException.Kind.INVALID_INPUT
                    || e.kind() == IdentityException.Kind.MALFORMED_POLICY_DOCUMENT;
            return fail(usage ? WharfCommand.EXIT_USAGE : WharfCommand.EXIT_FAILURE, e.kind().iamCode() + ": " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            return fail(WharfCommand.EXIT_FAILURE, Failures.describe(e, cfg));
        }
    }

    private int fail(int status, String message) {
        err.println("wharf iam: " + message);
        return status;
    }

    private static ch.qos.logback.classic.Logger logbackRoot() {
        Logger root = LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        return root instanceof ch.qos.logback.classic.Logger logback ? logback : null;
    }
}
