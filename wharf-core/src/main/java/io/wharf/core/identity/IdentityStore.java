package io.wharf.core.identity;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where accounts, IAM users, their access keys and inline identity policies are kept. A dumb store:
 * it checks existence and uniqueness (those need its own transaction), while name syntax, key
 * generation and policy validation belong to {@link Identities}.
 *
 * <p>User names are matched without regard to case, as IAM does; everything else is exact.
 */
public interface IdentityStore {

    /** Records the account if it is not there yet. */
    void ensureAccount(String account, Instant now);

    boolean accountExists(String account);

    /**
     * @throws IdentityException NO_SUCH_ENTITY without the account, ENTITY_ALREADY_EXISTS when a user
     *                           of that name (in any case) exists
     */
    IamUser createUser(String account, String name, Instant now);

    Optional<IamUser> findUser(String account, String name);

    /** Users of the account, ordered by name. */
    List<IamUser> listUsers(String account);

    /** Deletes the user together with its access keys and policies; false when there was no such user. */
    boolean deleteUser(String account, String name);

    /**
     * Stores a new key as given.
     *
     * @throws IdentityException NO_SUCH_ENTITY without the owner (account or user),
     *                           ENTITY_ALREADY_EXISTS when the id is taken
     */
    void createAccessKey(AccessKey key);

    /**
     * Stores {@code key} only when its owner has no access key yet, atomically: of processes bootstrapping the same
     * owner at once, exactly one stores its key. False (nothing stored) when the owner had a key.
     *
     * @throws IdentityException as {@link #createAccessKey}
     */
    boolean createFirstAccessKey(AccessKey key);

    /** The key, secret included, for signature checks. */
    Optional<AccessKey> findAccessKey(String id);

    /** Keys of one owner ({@code user} null: the account root), oldest first. */
    List<AccessKey> listAccessKeys(String account, String user);

    boolean deleteAccessKey(String id);

    boolean setAccessKeyStatus(String id, AccessKey.Status status);

    /**
     * Adds the policy or replaces the user's policy of that name.
     *
     * @throws IdentityException NO_SUCH_ENTITY without the user
     */
    void putUserPolicy(String account, String user, UserPolicy policy);

    boolean deleteUserPolicy(String account, String user, String policyName);

    /** The user's inline policies ordered by name; empty when the user does not exist. */
    List<UserPolicy> listUserPolicies(String account, String user);

    /**
     * Stores a new role.
     *
     * @throws IdentityException NO_SUCH_ENTITY without the account, ENTITY_ALREADY_EXISTS when a role of that name
     *                           (in any case) exists
     */
    IamRole createRole(IamRole role);

    Optional<IamRole> findRole(String account, String name);

    /** Roles of the account, ordered by name. */
    List<IamRole> listRoles(String account);

    /** Deletes the role together with its inline policies; false when there was no such role. */
    boolean deleteRole(String account, String name);

    /**
     * Adds the policy or replaces the role's inline policy of that name.
     *
     * @throws IdentityException NO_SUCH_ENTITY without the role
     */
    void putRolePolicy(String account, String role, UserPolicy policy);

    boolean deleteRolePolicy(String account, String role, String policyName);

    /** The role's inline policies ordered by name; empty when the role does not exist. */
    List<UserPolicy> listRolePolicies(String account, String role);

    /**
     * Stores the user's virtual MFA device (secret sealed where the store persists it).
     *
     * @throws IdentityException NO_SUCH_ENTITY without the user, ENTITY_ALREADY_EXISTS when it has a device
     */
    void createMfaDevice(MfaDevice device);

    Optional<MfaDevice> findMfaDevice(String account, String user);

    boolean deleteMfaDevice(String account, String user);

    /**
     * Records that the device's code of time step {@code step} was used, only if no code of that step or a later one
     * was: a compare-and-set, so that of nodes accepting the same code at once exactly one succeeds.
     */
    boolean useMfaStep(String account, String user, long step);

    /**
     * Stores an OIDC provider.
     *
     * @throws IdentityException NO_SUCH_ENTITY without the account, ENTITY_ALREADY_EXISTS when the account has a
     *                           provider of that issuer
     */
    void createOidcProvider(OidcProvider provider);

    /** The account's provider whose {@link OidcProvider#key()} is {@code key}. */
    Optional<OidcProvider> findOidcProvider(String account, String key);

    /** The account's providers ordered by issuer. */
    List<OidcProvider> listOidcProviders(String account);

    boolean deleteOidcProvider(String account, String key);
}
