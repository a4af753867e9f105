package io.wharf.core.identity;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** {@link IdentityStore} in memory, for tests and embedding; every method is atomic under one lock. */
public final class InMemoryIdentityStore implements IdentityStore {
    private final Set<String> accounts = new HashSet<>();
    /** account + "/" + lower-cased name → user: IAM names are unique regardless of case. */
    private final Map<String, IamUser> users = new HashMap<>();
    private final Map<String, AccessKey> keys = new LinkedHashMap<>();
    /** user key → policy name → policy */
    private final Map<String, TreeMap<String, UserPolicy>> policies = new HashMap<>();
    /** account + "/" + lower-cased name → role, and its policies by the same key */
    private final Map<String, IamRole> roles = new HashMap<>();
    private final Map<String, TreeMap<String, UserPolicy>> rolePolicies = new HashMap<>();
    /** account + "/" + provider key → provider */
    private final Map<String, OidcProvider> providers = new TreeMap<>();
    /** user key → the user's MFA device */
    private final Map<String, MfaDevice> devices = new HashMap<>();

    private static String userKey(String account, String name) {
        return account + "/" + name.toLowerCase(Locale.ROOT);
    }

    @Override
    public synchronized void ensureAccount(String account, Instant now) {
        accounts.add(IdentityNames.requireAccount(account));
    }

    @Override
    public synchronized boolean accountExists(String account) {
        return accounts.contains(account);
    }

    @Override
    public synchronized IamUser createUser(String account, String name, Instant now) {
        requireAccount(account);
        IamUser user = new IamUser(account, name, now);
        if (users.putIfAbsent(userKey(account, name), user) != null) {
            throw new IdentityException(IdentityException.Kind.ENTITY_ALREADY_EXISTS, "User with name " + name + " already exists.");
        }
        return user;
    }

    @Override
    public synchronized Optional<IamUser> findUser(String account, String name) {
        return Optional.ofNullable(users.get(userKey(account, name)));
    }

    @Override
    public synchronized List<IamUser> listUsers(String account) {
        return users.values().stream().filter(u -> u.account().equals(account))
                .sorted(Comparator.comparing(IamUser::name, String.CASE_INSENSITIVE_ORDER)).toList();
    }

    @Override
    public synchronized boolean deleteUser(String account, String name) {
        IamUser removed = users.remove(userKey(account, name));
        if (removed == null) {
            return false;
        }
        keys.values().removeIf(k -> k.account().equals(account) && removed.name().equals(k.user()));
        policies.remove(userKey(account, name));
        devices.remove(userKey(account, name));
        return true;
    }

    @Override
    public synchronized boolean createFirstAccessKey(AccessKey key) {
        if (!listAccessKeys(key.account(), key.user()).isEmpty()) {
            return false;
        }
        createAccessKey(key);
        return true;
    }

    @Override
    public synchronized void createAccessKey(AccessKey key) {
        requireAccount(key.account());
        AccessKey stored = key;
        if (key.user() != null) { // the owner's name as created, whatever case the caller used
            String name = requireUser(key.account(), key.user()).name();
            stored = new AccessKey(key.id(), key.secret(), key.account(), name, key.status(), key.createdAt());
        }
        if (keys.containsKey(key.id())) {
            throw new IdentityException(IdentityException.Kind.ENTITY_ALREADY_EXISTS, "Access key " + key.id() + " already exists.");
        }
        keys.put(key.id(), stored);
    }

    @Override
    public synchronized Optional<AccessKey> findAccessKey(String id) {
        return Optional.ofNullable(keys.get(id));
    }

    @Override
    public synchronized List<AccessKey> listAccessKeys(String account, String user) {
        List<AccessKey> out = new ArrayList<>();
        for (AccessKey k : keys.values()) {
            if (k.account().equals(account) && sameUser(k.user(), user)) {
                out.add(k);
            }
        }
        out.sort(Comparator.comparing(AccessKey::createdAt));
        return out;
    }

    private static boolean sameUser(String a, String b) {
        return a == null || b == null ? Objects.equals(a, b) : a.equalsIgnoreCase(b);
    }

    @Override
    public synchronized boolean deleteAccessKey(String id) {
        return keys.remove(id) != null;
    }

    @Override
    public synchronized boolean setAccessKeyStatus(String id, AccessKey.Status status) {
        return keys.computeIfPresent(id, (k, v) -> v.withStatus(status)) != null;
    }

    @Override
    public synchronized void putUserPolicy(String account, String user, UserPolicy policy) {
        requireUser(account, user);
        policies.computeIfAbsent(userKey(account, user), k -> new TreeMap<>()).put(policy.name(), policy);
    }

    @Override
    public synchronized boolean deleteUserPolicy(String account, String user, String policyName) {
        TreeMap<String, UserPolicy> byName = policies.get(userKey(account, user));
        return byName != null && byName.remove(policyName) != null;
    }

    @Override
    public synchronized List<UserPolicy> listUserPolicies(String account, String user) {
        TreeMap<String, UserPolicy> byName = policies.get(userKey(account, user));
        return byName == null ? List.of() : List.copyOf(byName.values());
    }

    @Override
    public synchronized IamRole createRole(IamRole role) {
        requireAccount(role.account());
        if (roles.putIfAbsent(userKey(role.account(), role.name()), role) != null) {
            throw new IdentityException(IdentityException.Kind.ENTITY_ALREADY_EXISTS,
                    "Role with name " + role.name() + " already exists.");
        }
        return role;
    }

    @Override
    public synchronized Optional<IamRole> findRole(String account, String name) {
        return Optional.ofNullable(roles.get(userKey(account, name)));
    }

    @Override
    public synchronized List<IamRole> listRoles(String account) {
        return roles.values().stream().filter(r -> r.account().equals(account))
                .sorted(Comparator.comparing(IamRole::name, String.CASE_INSENSITIVE_ORDER)).toList();
    }

    @Override
    public synchronized boolean deleteRole(String account, String name) {
        rolePolicies.remove(userKey(account, name));
        return roles.remove(userKey(account, name)) != null;
    }

    @Override
    public synchronized void putRolePolicy(String account, String role, UserPolicy policy) {
        if (!roles.containsKey(userKey(account, role))) {
            throw IdentityException.noSuchRole(account, role);
        }
        rolePolicies.computeIfAbsent(userKey(account, role), k -> new TreeMap<>()).put(policy.name(), policy);
    }

    @Override
    public synchronized boolean deleteRolePolicy(String account, String role, String policyName) {
        TreeMap<String, UserPolicy> byName = rolePolicies.get(userKey(account, role));
        return byName != null && byName.remove(policyName) != null;
    }

    @Override
    public synchronized List<UserPolicy> listRolePolicies(String account, String role) {
        TreeMap<String, UserPolicy> byName = rolePolicies.get(userKey(account, role));
        return byName == null ? List.of() : List.copyOf(byName.values());
    }

    @Override
    public synchronized void createMfaDevice(MfaDevice device) {
        String name = requireUser(device.account(), device.user()).name();
        if (devices.putIfAbsent(userKey(device.account(), name), new MfaDevice(device.account(), name, device.secret(),
                device.lastUsedStep(), device.createdAt())) != null) {
            throw new IdentityException(IdentityException.Kind.ENTITY_ALREADY_EXISTS,
                    "MFA device " + device.serialNumber() + " already exists.");
        }
    }

    @Override
    public synchronized Optional<MfaDevice> findMfaDevice(String account, String user) {
        return Optional.ofNullable(devices.get(userKey(account, user)));
    }

    @Override
    public synchronized boolean deleteMfaDevice(String account, String user) {
        return devices.remove(userKey(account, user)) != null;
    }

    @Override
    public synchronized boolean useMfaStep(String account, String user, long step) {
        MfaDevice d = devices.get(userKey(account, user));
        if (d == null || d.lastUsedStep() >= step) {
            return false;
        }
        devices.put(userKey(account, user), new MfaDevice(d.account(), d.user(), d.secret(), step, d.createdAt()));
        return true;
    }

    @Override
    public synchronized void createOidcProvider(OidcProvider provider) {
        requireAccount(provider.account());
        if (providers.putIfAbsent(provider.account() + "/" + provider.key(), provider) != null) {
            throw new IdentityException(IdentityException.Kind.ENTITY_ALREADY_EXISTS,
                    "Provider with url " + provider.issuer() + " already exists.");
        }
    }

    @Override
    public synchronized Optional<OidcProvider> findOidcProvider(String account, String key) {
        return Optional.ofNullable(providers.get(account + "/" + key));
    }

    @Override
    public synchronized List<OidcProvider> listOidcProviders(String account) {
        return providers.values().stream().filter(p -> p.account().equals(account)).toList();
    }

    @Override
    public synchronized boolean deleteOidcProvider(String account, String key) {
        return providers.remove(account + "/" + key) != null;
    }

    private void requireAccount(String account) {
        if (!accounts.contains(account)) {
            throw new IdentityException(IdentityException.Kind.NO_SUCH_ENTITY, "Account " + account + " does not exist.");
        }
    }

    private IamUser requireUser(String account, String user) {
        IamUser found = users.get(userKey(account, user));
        if (found == null) {
            throw IdentityException.noSuchUser(account, user);
        }
        return found;
    }
}
