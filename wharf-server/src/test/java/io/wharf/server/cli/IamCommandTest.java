package io.wharf.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IamCommandTest {
    private static final String POLICY = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecr:*","Resource":"*"}]}""";

    @TempDir
    Path data;

    private StringWriter out = new StringWriter();
    private StringWriter err = new StringWriter();

    private int iam(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        String[] all = new String[args.length + 3];
        all[0] = "iam";
        all[1] = "--data";
        all[2] = data.toString();
        System.arraycopy(args, 0, all, 3, args.length);
        return WharfCommand.execute(Map.of(), new PrintWriter(out, true), new PrintWriter(err, true), all);
    }

    @Test
    void usersAreCreatedListedAndDeleted() {
        assertThat(iam("create-user", "alice")).isZero();
        assertThat(out.toString().strip()).isEqualTo("arn:aws:iam::000000000000:user/alice");
        assertThat(iam("create-user", "bob")).isZero();
        assertThat(iam("list-users")).isZero();
        assertThat(out.toString().lines().map(l -> l.split("\t")[0])).containsExactly("alice", "bob");
        assertThat(iam("delete-user", "alice")).isZero();
        assertThat(iam("list-users")).isZero();
        assertThat(out.toString()).doesNotContain("alice");
    }

    @Test
    void refusalsExitWith1AndBadInputWith2() {
        assertThat(iam("create-user", "alice")).isZero();
        assertThat(iam("create-user", "ALICE")).isEqualTo(1);
        assertThat(err.toString()).contains("EntityAlreadyExists").contains("already exists");
        assertThat(iam("delete-user", "nobody")).isEqualTo(1);
        assertThat(err.toString()).contains("NoSuchEntity");
        assertThat(iam("create-user", "no spaces")).isEqualTo(2);
        assertThat(err.toString()).contains("invalid user name");
        assertThat(iam("create-user")).isEqualTo(2);
        assertThat(err.toString()).contains("Missing required parameter");
        assertThat(iam("--account", "12", "list-users")).isEqualTo(2);
        assertThat(err.toString()).contains("invalid account id");
    }

    @Test
    void accessKeysArePrintedOnceAndCanBeDeleted() {
        iam("create-user", "ci");
        assertThat(iam("create-access-key", "ci")).isZero();
        String[] lines = out.toString().strip().split("\n");
        assertThat(lines[0]).matches("AWS_ACCESS_KEY_ID=AKIA[A-Z2-7]{16}");
        assertThat(lines[1]).matches("AWS_SECRET_ACCESS_KEY=[A-Za-z0-9+/]{40}");
        String id = lines[0].substring("AWS_ACCESS_KEY_ID=".length());
        assertThat(iam("list-access-keys", "ci")).isZero();
        assertThat(out.toString()).startsWith(id + "\tActive\t").doesNotContain(lines[1].substring(22));
        iam("create-access-key", "ci");
        assertThat(iam("create-access-key", "ci")).isEqualTo(1);
        assertThat(err.toString()).contains("LimitExceeded");
        assertThat(iam("delete-access-key", id)).isZero();
        assertThat(iam("delete-access-key", id)).isEqualTo(1);
        assertThat(iam("create-access-key")).isEqualTo(2);
        assertThat(iam("create-access-key", "--root")).isZero();
        assertThat(iam("list-access-keys", "--root")).isZero();
        assertThat(out.toString().lines()).hasSize(1);
    }

    @Test
    void loginPasswordsAreForExistingIdentitiesOnly() {
        assertThat(iam("login-password", "--root")).isZero();
        assertThat(out.toString().strip()).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
        assertThat(iam("login-password", "ghost")).isEqualTo(1);
        assertThat(err.toString()).contains("NoSuchEntity").contains("ghost");
        assertThat(iam("login-password")).isEqualTo(2);
        iam("create-user", "ci");
        assertThat(iam("login-password", "ci")).isZero();
    }

    @Test
    void secretsAreNotInTheDatabaseFileInPlainText() throws Exception {
        iam("create-user", "ci");
        iam("create-access-key", "ci");
        String secret = out.toString().lines().filter(l -> l.startsWith("AWS_SECRET")).findFirst().orElseThrow().substring(22);
        for (String file : new String[] {"wharf.db", "wharf.db-wal"}) {
            Path p = data.resolve(file);
            if (Files.exists(p)) {
                assertThat(new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1)).doesNotContain(secret);
            }
        }
        Path key = data.resolve("keys/secret-sealing-key");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key.getParent()))).isEqualTo("rwx------");
    }

    @Test
    void policiesAreValidatedStoredAndListed() throws Exception {
        iam("create-user", "alice");
        Path file = data.resolve("pull.json");
        Files.writeString(file, POLICY);
        assertThat(iam("put-user-policy", "alice", "all", file.toString())).isZero();
        assertThat(iam("get-user-policy", "alice", "all")).isZero();
        assertThat(out.toString().strip()).isEqualTo(POLICY);
        Files.writeString(file, "{\"Statement\":[{\"Effect\":\"Maybe\"}]}");
        assertThat(iam("put-user-policy", "alice", "bad", file.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("MalformedPolicyDocument");
        assertThat(iam("put-user-policy", "alice", "x", data.resolve("missing.json").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("cannot read the policy");
        assertThat(iam("put-user-policy", "bob", "all", data.resolve("pull.json").toString())).isEqualTo(2);
        assertThat(iam("list-user-policies", "alice")).isZero();
        assertThat(out.toString().lines()).containsExactly("all");
        assertThat(iam("delete-user-policy", "alice", "all")).isZero();
        assertThat(iam("delete-user-policy", "alice", "all")).isEqualTo(1);
    }

    @Test
    void aPolicyCanComeFromStandardInput() {
        iam("create-user", "alice");
        InputStream stdin = System.in;
        try {
            System.setIn(new ByteArrayInputStream(POLICY.getBytes(StandardCharsets.UTF_8)));
            assertThat(iam("put-user-policy", "alice", "stdin", "-")).isZero();
        } finally {
            System.setIn(stdin);
        }
        iam("list-user-policies", "alice");
        assertThat(out.toString().strip()).isEqualTo("stdin");
    }

    @Test
    void optionsMayFollowTheSubcommandAndAMissingDataDirectoryIsRefused() {
        out = new StringWriter();
        err = new StringWriter();
        int status = WharfCommand.execute(Map.of(), new PrintWriter(out, true), new PrintWriter(err, true),
                "iam", "list-users", "--data", data.resolve("nope").toString());
        assertThat(status).isEqualTo(1);
        assertThat(err.toString()).contains("no data directory at " + data.resolve("nope"));
        status = WharfCommand.execute(Map.of("WHARF_DATA", data.toString()), new PrintWriter(out, true),
                new PrintWriter(err, true), "iam", "create-user", "fromenv");
        assertThat(status).isZero();
    }

    private static final String TRUST = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:user/ci"},\
            "Action":"sts:AssumeRole"}]}""";

    @Test
    void rolesAreCreatedWithATrustPolicyAndCarryInlinePolicies() throws Exception {
        Path trust = data.resolve("trust.json");
        Files.writeString(trust, TRUST);
        Path policy = data.resolve("push.json");
        Files.writeString(policy, POLICY);
        assertThat(iam("create-role", "deployer", trust.toString(), "--max-session-duration", "7200")).isZero();
        assertThat(out.toString().strip()).isEqualTo("arn:aws:iam::000000000000:role/deployer");
        assertThat(iam("create-role", "DEPLOYER", trust.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("EntityAlreadyExists");
        assertThat(iam("list-roles")).isZero();
        assertThat(out.toString().strip()).startsWith("deployer\tarn:aws:iam::000000000000:role/deployer\t7200\t");
        assertThat(iam("get-role", "deployer")).isZero();
        assertThat(out.toString().strip()).isEqualTo(TRUST);
        assertThat(iam("put-role-policy", "deployer", "push", policy.toString())).isZero();
        assertThat(iam("get-role-policy", "deployer", "push")).isZero();
        assertThat(out.toString().strip()).isEqualTo(POLICY);
        assertThat(iam("list-role-policies", "deployer")).isZero();
        assertThat(out.toString().lines()).containsExactly("push");
        assertThat(iam("put-role-policy", "nobody", "push", policy.toString())).isEqualTo(1);
        assertThat(iam("delete-role-policy", "deployer", "push")).isZero();
        assertThat(iam("delete-role-policy", "deployer", "push")).isEqualTo(1);
        assertThat(iam("delete-role", "deployer")).isZero();
        assertThat(iam("get-role", "deployer")).isEqualTo(1);
        assertThat(err.toString()).contains("NoSuchEntity");
    }

    @Test
    void trustPoliciesAndSessionLimitsAreChecked() throws Exception {
        Path file = data.resolve("trust.json");
        Files.writeString(file, POLICY); // an identity policy: no Principal
        assertThat(iam("create-role", "r", file.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("MalformedPolicyDocument").contains("Principal");
        Files.writeString(file, TRUST.replace("sts:AssumeRole", "ecr:PutImage"));
        assertThat(iam("create-role", "r", file.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("sts: actions");
        Files.writeString(file, TRUST);
        assertThat(iam("create-role", "r", file.toString(), "--max-session-duration", "60")).isEqualTo(2);
        assertThat(err.toString()).contains("MaxSessionDuration");
        assertThat(iam("create-role", "r", file.toString())).isZero();
        assertThat(iam("put-role-policy", "r", "p", file.toString())).as("a trust policy is no identity policy").isEqualTo(2);
    }

    @Test
    void anMfaDeviceIsShownOnceAndItsSecretIsSealed() throws Exception {
        iam("create-user", "alice");
        assertThat(iam("enable-mfa", "alice")).isZero();
        Map<String, String> shown = new java.util.HashMap<>();
        out.toString().lines().forEach(l -> shown.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1)));
        assertThat(shown.get("SERIAL_NUMBER")).isEqualTo("arn:aws:iam::000000000000:mfa/alice");
        assertThat(shown.get("SECRET")).matches("[A-Z2-7]{32}");
        assertThat(shown.get("URI")).isEqualTo("otpauth://totp/Wharf:alice@000000000000?secret=" + shown.get("SECRET")
                + "&issuer=Wharf&algorithm=SHA1&digits=6&period=30");
        assertThat(iam("enable-mfa", "alice")).isEqualTo(1);
        assertThat(err.toString()).contains("EntityAlreadyExists");
        for (String file : new String[] {"wharf.db", "wharf.db-wal"}) {
            Path p = data.resolve(file);
            if (Files.exists(p)) {
                assertThat(new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1)).doesNotContain(shown.get("SECRET"));
            }
        }
        assertThat(iam("deactivate-mfa", "alice")).isZero();
        assertThat(iam("deactivate-mfa", "alice")).isEqualTo(1);
        assertThat(iam("enable-mfa", "bob")).isEqualTo(1);
    }

    @Test
    void oidcProvidersAreCreatedListedAndDeleted() {
        assertThat(iam("create-oidc-provider", "https://token.actions.example.com", "--client-id", "sts.amazonaws.com",
                "--client-id", "wharf", "--jwks-url", "https://token.actions.example.com/.well-known/jwks")).isZero();
        String arn = "arn:aws:iam::000000000000:oidc-provider/token.actions.example.com";
        assertThat(out.toString().strip()).isEqualTo(arn);
        assertThat(iam("list-oidc-providers")).isZero();
        assertThat(out.toString().strip()).isEqualTo(arn + "\thttps://token.actions.example.com\tsts.amazonaws.com,wharf"
                + "\thttps://token.actions.example.com/.well-known/jwks");
        assertThat(iam("create-oidc-provider", "http://idp.example.com", "--client-id", "a", "--jwks-url",
                "http://idp.example.com/jwks")).as("plain http off the loopback interface").isEqualTo(2);
        assertThat(err.toString()).contains("must be an https URL");
        assertThat(iam("create-oidc-provider", "https://idp.example.com", "--jwks-url", "https://idp.example.com/j"))
                .isEqualTo(2);
        assertThat(iam("delete-oidc-provider", arn)).isZero();
        assertThat(iam("delete-oidc-provider", "https://token.actions.example.com")).isEqualTo(1);
    }
}
