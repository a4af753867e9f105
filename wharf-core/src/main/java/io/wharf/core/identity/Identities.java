package io.wharf.core.identity;

import io.wharf.core.iam.PolicyDocument;
import io.wharf.core.iam.PolicySyntaxException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Identity administration over an {@link IdentityStore}: the rules IAM applies (name syntax, two keys
 * per user, policies must parse) and key generation. The {@code wharf iam} command line and, later,
 * an IAM API both go through here.
 */
public final class Identities {
    /** IAM's quota of access keys per user (the root included). */
    public static final int MAX_ACCESS_KEYS = 2;

    private final IdentityStore store;
    private final Clock clock;
    private final AccessKeyGenerator generator;
    private final SecureRandom random;
    private static final int MFA_SECRET_BYTES = 20;

    public Identities(IdentityStore store, Clock clock, SecureRandom random) {
        this.store = store;
        this.clock = clock;
        this.generator = new AccessKeyGenerator(random);
        this.random = random;
    }

    public IdentityStore store() {
        return store;
    }

    public void ensureAccount(String account) {
        store.ensureAccount(IdentityNames.requireAccount(account), clock.instant());
    }

    public IamUser createUser(String account, String name) {
        IdentityNames.requireUserName(name);
        return store.createUser(account, name, clock.instant());
    }

    public void deleteUser(String account, String name) {
        if (!store.deleteUser(account, name)) {
            throw IdentityException.noSuchUser(account, name);
        }
    }

    public List<IamUser> listUsers(String account) {
        return store.listUsers(account);
    }

    /** A new active key for the user ({@code null}: the account root), secret included. */
    public AccessKey createAccessKey(String account, String user) {
        return importAccessKey(account, user, generator.newId(), generator.newSecret());
    }

    /** Stores a key whose id and secret were chosen elsewhere (the root bootstrap's environment variables). */
    public AccessKey importAccessKey(String account, String user, String id, String secret) {
        if (user != null) {
            requireUser(account, user);
        }
        if (store.listAccessKeys(account, user).size() >= MAX_ACCESS_KEYS) {
            throw new IdentityException(IdentityException.Kind.LIMIT_EXCEEDED,
                    "Cannot exceed quota for AccessKeysPerUser: " + MAX_ACCESS_KEYS);
        }
        AccessKey key = new AccessKey(id, secret, account, user, AccessKey.Status.ACTIVE, clock.instant());
        store.createAccessKey(key);
        return key;
    }

    /** Deletes a key of this account. */
    public void deleteAccessKey(String account, String id) {
        Optional<AccessKey> key = store.findAccessKey(id).filter(k -> k.account().equals(account));
        if (key.isEmpty() || !store.deleteAccessKey(id)) {
            throw new IdentityException(IdentityException.Kind.NO_SUCH_ENTITY,
                    "The Access Key with id " + id + " cannot be found.");
        }
    }

    /** Activates or deactivates a key of this account (IAM's UpdateAccessKey); only an active key authenticates. */
    public void setAccessKeyStatus(String account, String id, AccessKey.Status status) {
        Optional<AccessKey> key = store.findAccessKey(id).filter(k -> k.account().equals(account));
        if (key.isEmpty() || !store.setAccessKeyStatus(id, status)) {
            throw new IdentityException(IdentityException.Kind.NO_SUCH_ENTITY,
                    "The Access Key with id " + id + " cannot be found.");
        }
    }

    public List<AccessKey> listAccessKeys(String account, String user) {
        if (user != null) {
            requireUser(account, user);
        }
        return store.listAccessKeys(account, user);
    }

    /** Adds or replaces an inline policy after checking that it is a policy document the evaluator accepts. */
    public void putUserPolicy(String account, String user, String policyName, String document) {
        IdentityNames.requirePolicyName(policyName);
        try {
            PolicyDocument.parse(document);
        } catch (PolicySyntaxException e) {
            throw new IdentityException(IdentityException.Kind.MALFORMED_POLICY_DOCUMENT, e.getMessage());
        }
        store.putUserPolicy(account, user, new UserPolicy(policyName, document));
    }

    public void deleteUserPolicy(String account, String user, String policyName) {
        requireUser(account, user);
        if (!store.deleteUserPolicy(account, user, policyName)) {
            throw new IdentityException(IdentityException.Kind.NO_SUCH_ENTITY,
                    "The user policy with name " + policyName + " cannot be found.");
        }
    }

    public List<UserPolicy> listUserPolicies(String account, String user) {
        requireUser(account, user);
        return store.listUserPolicies(account, user);
    }

    /** Creates a role after checking its name and that its trust policy is one (sts: actions, principals, no Resource). */
    public IamRole createRole(String account, String name, String trustPolicy, Duration maxSession) {
        IdentityNames.requireRoleName(name);
        parse(trustPolicy, PolicyDocument::requireTrustPolicy);
        return store.createRole(new IamRole(account, name, trustPolicy,
                maxSession == null ? IamRole.DEFAULT_MAX_SESSION : maxSession, clock.instant()));
    }

    public IamRole role(String account, String name) {
        return store.findRole(account, name).orElseThrow(() -> IdentityException.noSuchRole(account, name));
    }

    public void deleteRole(String account, String name) {
        if (!store.deleteRole(account, name)) {
            throw IdentityException.noSuchRole(account, name);
        }
    }

    public List<IamRole> listRoles(String account) {
        return store.listRoles(account);
    }

    /** Adds or replaces an inline policy of a role; it must be an identity policy (no Principal, a Resource). */
    public void putRolePolicy(String account, String role, String policyName, String document) {
        IdentityNames.requirePolicyName(policyName);
        parse(document, PolicyDocument::requireIdentityPolicy);
        store.putRolePolicy(account, role, new UserPolicy(policyName, document));
    }

    public void deleteRolePolicy(String account, String role, String policyName) {
        role(account, role);
        if (!store.deleteRolePolicy(account, role, policyName)) {
            throw new IdentityException(IdentityException.Kind.NO_SUCH_ENTITY,
                    "The role policy with name " + policyName + " cannot be found.");
        }
    }

    public List<UserPolicy> listRolePolicies(String account, String role) {
        role(account, role);
        return store.listRolePolicies(account, role);
    }

    /**
     * Gives the user a virtual MFA device with a new random 160-bit secret (RFC 4226's recommended length), returned
     * this once for the authenticator app.
     */
    public MfaDevice enableMfa(String account, String user) {
        IamUser owner = requireUser(account, user);
        byte[] secret = new byte[MFA_SECRET_BYTES];
        random.nextBytes(secret);
        MfaDevice device = new MfaDevice(account, owner.name(), secret, -1, clock.instant());
        store.createMfaDevice(device);
        return device;
    }

    public void deactivateMfa(String account, String user) {
        requireUser(account, user);
        if (!store.deleteMfaDevice(account, user)) {
            throw new IdentityException(IdentityException.Kind.NO_SUCH_ENTITY,
                    "The user with name " + user + " has no MFA device.");
        }
    }

    public OidcProvider createOidcProvider(String account, String issuer, List<String> clientIds, String jwksUrl) {
        OidcProvider provider = new OidcProvider(account, issuer, clientIds, jwksUrl, clock.instant());
        store.createOidcProvider(provider);
        return provider;
    }

    /** Deletes the provider named by its ARN, its issuer URL or its issuer without {@code https://}. */
    public void deleteOidcProvider(String account, String name) {
        String key = name.contains(":oidc-provider/") ? name.substring(name.indexOf(":oidc-provider/") + 15)
                : OidcProvider.key(name);
        if (!store.deleteOidcProvider(account, key)) {
            throw new IdentityException(IdentityException.Kind.NO_SUCH_ENTITY, "OpenIDConnect provider " + name
                    + " not found in account " + account + ".");
        }
    }

    public List<OidcProvider> listOidcProviders(String account) {
        return store.listOidcProviders(account);
    }

    private static void parse(String document, java.util.function.UnaryOperator<PolicyDocument> rules) {
        try {
            rules.apply(PolicyDocument.parse(document));
        } catch (PolicySyntaxException e) {
            throw new IdentityException(IdentityException.Kind.MALFORMED_POLICY_DOCUMENT, e.getMessage());
        }
    }

    /**
     * Gives the account root a key unless it has one: the given id and secret when both are set,
     * else a generated pair. Returns the key it created, empty when the root already had one.
     */
    public Optional<AccessKey> bootstrapRootKey(String account, String id, String secret) {
        if ((id == null) != (secret == null)) {
            throw new IdentityException(IdentityException.Kind.INVALID_INPUT,
                    "a root access key needs both its id and its secret, not just one of them");
        }
        ensureAccount(account);
        if (!store.listAccessKeys(account, null).isEmpty()) {
            return Optional.empty(); // the usual start: no key generated for nothing
        }
        AccessKey key = new AccessKey(id != null ? id : generator.newId(), secret != null ? secret : generator.newSecret(),
                account, null, AccessKey.Status.ACTIVE, clock.instant());
        // nodes of a cluster starting at once: one of them creates the key
        return store.createFirstAccessKey(key) ? Optional.of(key) : Optional.empty();
    }

    private IamUser requireUser(String account, String user) {
        return store.findUser(account, user).orElseThrow(() -> IdentityException.noSuchUser(account, user));
    }
}
