package io.wharf.core.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.core.identity.AccessKey.Status;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of every {@link IdentityStore}. Backends extend this with a factory. Instants are
 * stored with millisecond precision, so the fixtures use whole milliseconds.
 */
public abstract class IdentityStoreContract {
    protected static final Instant T0 = Instant.parse("2025-03-01T10:00:00.123Z");
    protected static final String ACCOUNT = "123456789012";
    protected static final String OTHER = "210987654321";
    protected static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    protected IdentityStore store;

    protected abstract IdentityStore createStore() throws Exception;

    protected void closeStore() throws Exception {
    }

    @BeforeEach
    void setUpStore() throws Exception {
        store = createStore();
        store.ensureAccount(ACCOUNT, T0);
    }

    @AfterEach
    void tearDownStore() throws Exception {
        closeStore();
    }

    private static AccessKey key(String id, String account, String user, Instant at) {
        return new AccessKey(id, SECRET, account, user, Status.ACTIVE, at);
    }

    @Test
    void aFirstAccessKeyIsStoredOnlyWhileItsOwnerHasNone() {
        store.createUser(ACCOUNT, "alice", T0);
        assertThat(store.createFirstAccessKey(key("AKIAAAAAAAAAAAAAAAF1", ACCOUNT, null, T0))).isTrue();
        assertThat(store.createFirstAccessKey(key("AKIAAAAAAAAAAAAAAAF2", ACCOUNT, null, T0))).isFalse();
        assertThat(store.createFirstAccessKey(key("AKIAAAAAAAAAAAAAAAF3", ACCOUNT, "alice", T0))).as("another owner").isTrue();
        assertThat(store.listAccessKeys(ACCOUNT, null)).extracting(AccessKey::id).containsExactly("AKIAAAAAAAAAAAAAAAF1");
        assertThat(store.findAccessKey("AKIAAAAAAAAAAAAAAAF2")).isEmpty();
    }

    @Test
    void accountsAreCreatedOnce() {
        store.ensureAccount(ACCOUNT, T0.plusSeconds(1));
        assertThat(store.accountExists(ACCOUNT)).isTrue();
        assertThat(store.accountExists(OTHER)).isFalse();
    }

    @Test
    void usersAreCreatedFoundListedByName() {
        store.createUser(ACCOUNT, "zed", T0);
        IamUser alice = store.createUser(ACCOUNT, "alice", T0.plusMillis(5));
        assertThat(alice.arn()).isEqualTo("arn:aws:iam::123456789012:user/alice");
        assertThat(store.findUser(ACCOUNT, "alice")).contains(alice);
        assertThat(store.listUsers(ACCOUNT)).extracting(IamUser::name).containsExactly("alice", "zed");
        assertThat(store.findUser(ACCOUNT, "bob")).isEmpty();
    }

    @Test
    void userNamesAreUniqueRegardlessOfCase() {
        store.createUser(ACCOUNT, "Alice", T0);
        assertThatThrownBy(() -> store.createUser(ACCOUNT, "alice", T0))
                .isInstanceOfSatisfying(IdentityException.class,
                        e -> assertThat(e.kind()).isEqualTo(IdentityException.Kind.ENTITY_ALREADY_EXISTS));
        assertThat(store.findUser(ACCOUNT, "ALICE")).map(IamUser::name).contains("Alice");
    }

    @Test
    void usersNeedAnExistingAccountAndStayInIt() {
        assertThatThrownBy(() -> store.createUser(OTHER, "alice", T0))
                .isInstanceOfSatisfying(IdentityException.class,
                        e -> assertThat(e.kind()).isEqualTo(IdentityException.Kind.NO_SUCH_ENTITY));
        store.ensureAccount(OTHER, T0);
        store.createUser(OTHER, "alice", T0);
        store.createUser(ACCOUNT, "alice", T0);
        assertThat(store.listUsers(OTHER)).hasSize(1);
        assertThat(store.deleteUser(OTHER, "alice")).isTrue();
        assertThat(store.findUser(ACCOUNT, "alice")).isPresent();
    }

    @Test
    void accessKeysKeepTheirSecretAndOwner() {
        store.createUser(ACCOUNT, "Alice", T0);
        store.createAccessKey(key("AKIAAAAAAAAAAAAAAAA1", ACCOUNT, "alice", T0));
        store.createAccessKey(key("AKIAAAAAAAAAAAAAAAA2", ACCOUNT, null, T0));
        AccessKey found = store.findAccessKey("AKIAAAAAAAAAAAAAAAA1").orElseThrow();
        assertThat(found.secret()).isEqualTo(SECRET);
        assertThat(found.user()).isEqualTo("Alice");
        assertThat(found.ownerArn()).isEqualTo("arn:aws:iam::123456789012:user/Alice");
        assertThat(found.status()).isEqualTo(Status.ACTIVE);
        assertThat(found.createdAt()).isEqualTo(T0);
        AccessKey root = store.findAccessKey("AKIAAAAAAAAAAAAAAAA2").orElseThrow();
        assertThat(root.isRoot()).isTrue();
        assertThat(root.ownerArn()).isEqualTo("arn:aws:iam::123456789012:root");
        assertThat(store.findAccessKey("AKIAAAAAAAAAAAAAAAA3")).isEmpty();
    }

    @Test
    void accessKeysAreListedPerOwnerOldestFirst() {
        store.createUser(ACCOUNT, "alice", T0);
        store.createAccessKey(key("AKIAAAAAAAAAAAAAAAA2", ACCOUNT, "alice", T0.plusSeconds(2)));
        store.createAccessKey(key("AKIAAAAAAAAAAAAAAAA1", ACCOUNT, "alice", T0.plusSeconds(1)));
        store.createAccessKey(key("AKIAAAAAAAAAAAAAAAA3", ACCOUNT, null, T0));
        assertThat(store.listAccessKeys(ACCOUNT, "alice")).extracting(AccessKey::id)
                .containsExactly("AKIAAAAAAAAAAAAAAAA1", "AKIAAAAAAAAAAAAAAAA2");
        assertThat(store.listAccessKeys(ACCOUNT, null)).extracting(AccessKey::id).containsExactly("AKIAAAAAAAAAAAAAAAA3");
        assertThat(store.listAccessKeys(ACCOUNT, "bob")).isEmpty();
    }

    @Test
    void accessKeyIdsAreUniqueAndOwnersMustExist() {
        store.createUser(ACCOUNT, "alice", T0);
        store.createAccessKey(key("AKIAAAAAAAAAAAAAAAA1", ACCOUNT, "alice", T0));
        assertThatThrownBy(() -> store.createAccessKey(key("AKIAAAAAAAAAAAAAAAA1", ACCOUNT, null, T0)))
                .isInstanceOfSatisfying(IdentityException.class,
                        e -> assertThat(e.kind()).isEqualTo(IdentityException.Kind.ENTITY_ALREADY_EXISTS));
        assertThatThrownBy(() -> store.createAccessKey(key("AKIAAAAAAAAAAAAAAAA2", ACCOUNT, "bob", T0)))
                .isInstanceOfSatisfying(IdentityException.class,
                        e -> assertThat(e.kind()).isEqualTo(IdentityException.Kind.NO_SUCH_ENTITY));
        assertThatThrownBy(() -> store.createAccessKey(key("AKIAAAAAAAAAAAAAAAA3", OTHER, null, T0)))
                .isInstanceOfSatisfying(IdentityException.class,
                        e -> assertThat(e.kind()).isEqualTo(IdentityException.Kind.NO_SUCH_ENTITY));
    }

    @Test
    void accessKeysCanBeDeactivatedAndDeleted() {
        store.createAccessKey(key("AKIAAAAAAAAAAAAAAAA1", ACCOUNT, null, T0));
        assertThat(store.setAccessKeyStatus("AKIAAAAAAAAAAAAAAAA1", Status.INACTIVE)).isTrue();
        assertThat(store.findAccessKey("AKIAAAAAAAAAAAAAAAA1").orElseThrow().status()).isEqualTo(Status.INACTIVE);
        assertThat(store.setAccessKeyStatus("AKIAAAAAAAAAAAAAAAA9", Status.ACTIVE)).isFalse();
        assertThat(store.deleteAccessKey("AKIAAAAAAAAAAAAAAAA1")).isTrue();
        assertThat(store.deleteAccessKey("AKIAAAAAAAAAAAAAAAA1")).isFalse();
        assertThat(store.findAccessKey("AKIAAAAAAAAAAAAAAAA1")).isEmpty();
    }

    @Test
    void policiesArePutReplacedListedAndDeleted() {
        store.createUser(ACCOUNT, "alice", T0);
        store.putUserPolicy(ACCOUNT, "alice", new UserPolicy("push", "{\"v\":1}"));
        store.putUserPolicy(ACCOUNT, "ALICE", new UserPolicy("pull", "{\"v\":2}"));
        store.putUserPolicy(ACCOUNT, "alice", new UserPolicy("push", "{\"v\":3}"));
        assertThat(store.listUserPolicies(ACCOUNT, "alice"))
                .containsExactly(new UserPolicy("pull", "{\"v\":2}"), new UserPolicy("push", "{\"v\":3}"));
        assertThat(store.deleteUserPolicy(ACCOUNT, "alice", "push")).isTrue();
        assertThat(store.deleteUserPolicy(ACCOUNT, "alice", "push")).isFalse();
        assertThat(store.listUserPolicies(ACCOUNT, "alice")).extracting(UserPolicy::name).containsExactly("pull");
        assertThat(store.listUserPolicies(ACCOUNT, "bob")).isEmpty();
        assertThatThrownBy(() -> store.putUserPolicy(ACCOUNT, "bob", new UserPolicy("p", "{}")))
                .isInstanceOfSatisfying(IdentityException.class,
                        e -> assertThat(e.kind()).isEqualTo(IdentityException.Kind.NO_SUCH_ENTITY));
    }

    @Test
    void deletingAUserDeletesItsKeysAndPoliciesOnly() {
        store.createUser(ACCOUNT, "alice", T0);
        store.createUser(ACCOUNT, "bob", T0);
        store.createAccessKey(key("AKIAAAAAAAAAAAAAAAA1", ACCOUNT, "alice", T0));
        store.createAccessKey(key("AKIAAAAAAAAAAAAAAAA2", ACCOUNT, "bob", T0));
        store.createAccessKey(key("AKIAAAAAAAAAAAAAAAA3", ACCOUNT, null, T0));
        store.putUserPolicy(ACCOUNT, "alice", new UserPolicy("p", "{}"));
        store.putUserPolicy(ACCOUNT, "bob", new UserPolicy("p", "{}"));
        assertThat(store.deleteUser(ACCOUNT, "ALICE")).isTrue();
        assertThat(store.deleteUser(ACCOUNT, "alice")).isFalse();
        assertThat(store.findAccessKey("AKIAAAAAAAAAAAAAAAA1")).isEmpty();
        assertThat(store.findAccessKey("AKIAAAAAAAAAAAAAAAA2")).isPresent();
        assertThat(store.findAccessKey("AKIAAAAAAAAAAAAAAAA3")).isPresent();
        assertThat(store.listUserPolicies(ACCOUNT, "bob")).hasSize(1);
        // a new user of the same name starts clean
        store.createUser(ACCOUNT, "alice", T0);
        assertThat(store.listUserPolicies(ACCOUNT, "alice")).isEmpty();
        assertThat(store.listAccessKeys(ACCOUNT, "alice")).isEmpty();
    }

    private static IamRole role(String account, String name) {
        return new IamRole(account, name, "{\"trust\":1}", IamRole.DEFAULT_MAX_SESSION, T0);
    }

    @Test
    void rolesAreCreatedFoundListedAndUniqueRegardlessOfCase() {
        store.createRole(new IamRole(ACCOUNT, "Deployer", "{\"t\":1}", java.time.Duration.ofHours(2), T0));
        store.createRole(role(ACCOUNT, "builder"));
        IamRole found = store.findRole(ACCOUNT, "deployer").orElseThrow();
        assertThat(found.name()).isEqualTo("Deployer");
        assertThat(found.trustPolicy()).isEqualTo("{\"t\":1}");
        assertThat(found.maxSessionDuration()).isEqualTo(java.time.Duration.ofHours(2));
        assertThat(found.createdAt()).isEqualTo(T0);
        assertThat(found.arn()).isEqualTo("arn:aws:iam::123456789012:role/Deployer");
        assertThat(store.listRoles(ACCOUNT)).extracting(IamRole::name).containsExactly("builder", "Deployer");
        assertThatThrownBy(() -> store.createRole(role(ACCOUNT, "DEPLOYER")))
                .isInstanceOfSatisfying(IdentityException.class,
                        e -> assertThat(e.kind()).isEqualTo(IdentityException.Kind.ENTITY_ALREADY_EXISTS));
        assertThatThrownBy(() -> store.createRole(role(OTHER, "deployer")))
                .isInstanceOfSatisfying(IdentityException.class,
                        e -> assertThat(e.kind()).isEqualTo(IdentityException.Kind.NO_SUCH_ENTITY));
        assertThat(store.findRole(ACCOUNT, "nobody")).isEmpty();
    }

    @Test
    void rolePoliciesArePutReplacedAndGoWithTheirRole() {
        store.createRole(role(ACCOUNT, "deployer"));
        store.createUser(ACCOUNT, "deployer", T0); // a user of the same name is another identity
        store.putUserPolicy(ACCOUNT, "deployer", new UserPolicy("push", "{\"user\":1}"));
        store.putRolePolicy(ACCOUNT, "deployer", new UserPolicy("push", "{\"v\":1}"));
        store.putRolePolicy(ACCOUNT, "DEPLOYER", new UserPolicy("pull", "{\"v\":2}"));
        store.putRolePolicy(ACCOUNT, "deployer", new UserPolicy("push", "{\"v\":3}"));
        assertThat(store.listRolePolicies(ACCOUNT, "deployer"))
                .containsExactly(new UserPolicy("pull", "{\"v\":2}"), new UserPolicy("push", "{\"v\":3}"));
        assertThat(store.deleteRolePolicy(ACCOUNT, "deployer", "pull")).isTrue();
        assertThat(store.deleteRolePolicy(ACCOUNT, "deployer", "pull")).isFalse();
        assertThatThrownBy(() -> store.putRolePolicy(ACCOUNT, "nobody", new UserPolicy("p", "{}")))
                .isInstanceOfSatisfying(IdentityException.class,
                        e -> assertThat(e.kind()).isEqualTo(IdentityException.Kind.NO_SUCH_ENTITY));
        assertThat(store.deleteRole(ACCOUNT, "Deployer")).isTrue();
        assertThat(store.deleteRole(ACCOUNT, "deployer")).isFalse();
        assertThat(store.listRolePolicies(ACCOUNT, "deployer")).isEmpty();
        assertThat(store.listUserPolicies(ACCOUNT, "deployer")).containsExactly(new UserPolicy("push", "{\"user\":1}"));
        store.createRole(role(ACCOUNT, "deployer"));
        assertThat(store.listRolePolicies(ACCOUNT, "deployer")).as("a new role of the same name starts clean").isEmpty();
    }

    @Test
    void anMfaDeviceKeepsItsSecretAndAcceptsEachStepOnce() {
        store.createUser(ACCOUNT, "Alice", T0);
        byte[] secret = "12345678901234567890".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        store.createMfaDevice(new MfaDevice(ACCOUNT, "alice", secret, -1, T0));
        MfaDevice found = store.findMfaDevice(ACCOUNT, "ALICE").orElseThrow();
        assertThat(found.secret()).isEqualTo(secret);
        assertThat(found.user()).isEqualTo("Alice");
        assertThat(found.serialNumber()).isEqualTo("arn:aws:iam::123456789012:mfa/Alice");
        assertThatThrownBy(() -> store.createMfaDevice(new MfaDevice(ACCOUNT, "alice", secret, -1, T0)))
                .isInstanceOfSatisfying(IdentityException.class,
                        e -> assertThat(e.kind()).isEqualTo(IdentityException.Kind.ENTITY_ALREADY_EXISTS));
        assertThatThrownBy(() -> store.createMfaDevice(new MfaDevice(ACCOUNT, "bob", secret, -1, T0)))
                .isInstanceOfSatisfying(IdentityException.class,
                        e -> assertThat(e.kind()).isEqualTo(IdentityException.Kind.NO_SUCH_ENTITY));
        assertThat(store.useMfaStep(ACCOUNT, "alice", 100)).isTrue();
        assertThat(store.useMfaStep(ACCOUNT, "alice", 100)).as("the same code again").isFalse();
        assertThat(store.useMfaStep(ACCOUNT, "alice", 99)).as("an older code").isFalse();
        assertThat(store.useMfaStep(ACCOUNT, "alice", 101)).isTrue();
        assertThat(store.findMfaDevice(ACCOUNT, "alice").orElseThrow().lastUsedStep()).isEqualTo(101);
        assertThat(store.useMfaStep(ACCOUNT, "bob", 1)).isFalse();
        assertThat(store.deleteMfaDevice(ACCOUNT, "alice")).isTrue();
        assertThat(store.deleteMfaDevice(ACCOUNT, "alice")).isFalse();
        assertThat(store.findMfaDevice(ACCOUNT, "alice")).isEmpty();
    }

    @Test
    void deletingAUserDeletesItsMfaDevice() {
        store.createUser(ACCOUNT, "alice", T0);
        store.createMfaDevice(new MfaDevice(ACCOUNT, "alice", new byte[20], -1, T0));
        store.deleteUser(ACCOUNT, "alice");
        store.createUser(ACCOUNT, "alice", T0);
        assertThat(store.findMfaDevice(ACCOUNT, "alice")).isEmpty();
    }

    @Test
    void oidcProvidersAreKeyedByIssuerPerAccount() {
        OidcProvider gh = new OidcProvider(ACCOUNT, "https://token.actions.example.com", java.util.List.of("sts.amazonaws.com",
                "wharf"), "https://token.actions.example.com/.well-known/jwks", T0);
        store.createOidcProvider(gh);
        OidcProvider found = store.findOidcProvider(ACCOUNT, "token.actions.example.com").orElseThrow();
        assertThat(found).isEqualTo(gh);
        assertThat(found.arn()).isEqualTo("arn:aws:iam::123456789012:oidc-provider/token.actions.example.com");
        assertThatThrownBy(() -> store.createOidcProvider(new OidcProvider(ACCOUNT, "https://token.actions.example.com/",
                java.util.List.of("x"), "https://other.example.com/jwks", T0)))
                .isInstanceOfSatisfying(IdentityException.class,
                        e -> assertThat(e.kind()).isEqualTo(IdentityException.Kind.ENTITY_ALREADY_EXISTS));
        assertThatThrownBy(() -> store.createOidcProvider(new OidcProvider(OTHER, "https://a.example.com",
                java.util.List.of("x"), "https://a.example.com/jwks", T0)))
                .isInstanceOfSatisfying(IdentityException.class,
                        e -> assertThat(e.kind()).isEqualTo(IdentityException.Kind.NO_SUCH_ENTITY));
        store.createOidcProvider(new OidcProvider(ACCOUNT, "https://a.example.com", java.util.List.of("x"),
                "https://a.example.com/jwks", T0));
        assertThat(store.listOidcProviders(ACCOUNT)).extracting(OidcProvider::key)
                .containsExactly("a.example.com", "token.actions.example.com");
        assertThat(store.findOidcProvider(OTHER, "a.example.com")).isEmpty();
        assertThat(store.deleteOidcProvider(ACCOUNT, "a.example.com")).isTrue();
        assertThat(store.deleteOidcProvider(ACCOUNT, "a.example.com")).isFalse();
        assertThat(store.listOidcProviders(ACCOUNT)).hasSize(1);
    }
}
