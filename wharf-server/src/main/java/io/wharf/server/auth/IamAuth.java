package io.wharf.server.auth;

import io.wharf.core.iam.AuthzRequest;
import io.wharf.core.iam.PolicyDocument;
import io.wharf.core.iam.PolicyEvaluator;
import io.wharf.core.iam.PolicySyntaxException;
import io.wharf.core.iam.Principal;
import io.wharf.core.identity.AccessKey;
import io.wharf.core.identity.AccessKeyGenerator;
import io.wharf.core.identity.IdentityStore;
import io.wharf.core.identity.UserPolicy;
import io.wharf.server.auth.AuthException.Kind;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code auth.enabled: true}: SigV4 against stored access keys, registry tokens signed by this
 * server, and every action decided by the IAM policy evaluator over the caller's identity policies,
 * the repository policy and the registry policy.
 */
public final class IamAuth implements Auth {
    /**
     * How long identity policies (and whether the user still exists) are reused when no change is
     * signalled ({@link IdentityChanges}): the bound for other nodes; see docs/security.md.
     */
    public static final Duration DEFAULT_CACHE_TTL = Duration.ofSeconds(15);
    private static final Logger LOG = LoggerFactory.getLogger(IamAuth.class);
    /** The signing names this server verifies: the ECR API and STS (GetCallerIdentity). */
    private static final List<String> SIGNING_NAMES = List.of("ecr", "ecr-public", "sts", "secretsmanager", "cloudtrail");
    private static final String USER_ARN_MARK = ":user/";

    private final IdentityStore identities;
    private final Map<String, SigV4Verifier> sigv4 = new HashMap<>();
    private final RegistryTokens tokens;
    /** Temporary credentials; null: none accepted (a session token is then an unrecognized client). */
    private final SessionTokens sessions;
    private final WebIdentityTokens webIdentities;
    private final ResourcePolicies resources;
    private final Clock clock;
    /** Principal → its identity policies; empty when the principal no longer exists. */
    private final TtlCache<Principal, Optional<List<PolicyDocument>>> policies;
    /** True when identities changed since it was last asked (another process's {@code wharf iam}). */
    private final BooleanSupplier identitiesChanged;

    public IamAuth(IdentityStore identities, RegistryTokens tokens, ResourcePolicies resources, Clock clock,
                   Duration cacheTtl) {
        this(identities, tokens, resources, clock, cacheTtl, () -> false);
    }

    public IamAuth(IdentityStore identities, RegistryTokens tokens, ResourcePolicies resources, Clock clock,
                   Duration cacheTtl, BooleanSupplier identitiesChanged) {
        this(identities, tokens, null, resources, clock, cacheTtl, identitiesChanged);
    }

    public IamAuth(IdentityStore identities, RegistryTokens tokens, SessionTokens sessions, ResourcePolicies resources,
                   Clock clock, Duration cacheTtl, BooleanSupplier identitiesChanged) {
        this(identities, tokens, sessions, null, resources, clock, cacheTtl, identitiesChanged);
    }

    /** @param webIdentities OIDC tokens for AssumeRoleWithWebIdentity; null: none accepted */
    public IamAuth(IdentityStore identities, RegistryTokens tokens, SessionTokens sessions, WebIdentityTokens webIdentities,
                   ResourcePolicies resources, Clock clock, Duration cacheTtl, BooleanSupplier identitiesChanged) {
        this.identitiesChanged = identitiesChanged;
        this.identities = identities;
        this.sessions = sessions;
        this.webIdentities = webIdentities;
        for (String service : SIGNING_NAMES) {
            sigv4.put(service, new SigV4Verifier(service, this::signingKey, clock));
        }
        this.tokens = tokens;
        this.resources = resources;
        this.clock = clock;
        this.policies = new TtlCache<>(cacheTtl, clock);
    }

    /** The store of users and keys these checks read (the console's user administration writes through it). */
    public IdentityStore identityStore() {
        return identities;
    }

    /** Drops the cached identity policies: this process just changed identities. */
    public void identitiesChanged() {
        policies.invalidateAll();
    }

    @Override
    public AwsSignature beginAws(String method, String rawPath, String rawQuery, Map<String, List<String>> headers) {
        return beginAws("ecr", method, rawPath, rawQuery, headers);
    }

    @Override
    public AwsSignature beginAws(String service, String method, String rawPath, String rawQuery,
                                 Map<String, List<String>> headers) {
        SigV4Verifier verifier = sigv4.get(service);
        if (verifier == null) {
            throw new UnsupportedOperationException("no SigV4 verifier for service " + service);
        }
        SigV4Verifier.Pending pending = verifier.begin(method, rawPath, rawQuery, headers);
        return body -> pending.verifyBody(body).principal();
    }

    /**
     * A long-term key by its id, or temporary credentials by their session token, whose identity (role or user) must
     * still exist: deleting it ends its sessions at once.
     */
    private Optional<SigV4Verifier.SigningKey> signingKey(String keyId, String securityToken) {
        if (securityToken == null) {
            return identities.findAccessKey(keyId).filter(k -> k.status() == AccessKey.Status.ACTIVE)
                    .map(SigV4Verifier::signingKey);
        }
        if (sessions == null || !keyId.startsWith(AccessKeyGenerator.TEMPORARY_ID_PREFIX)) {
            return Optional.empty();
        }
        SigV4Verifier.SigningKey key = sessions.open(keyId, securityToken);
        return identityPolicies(key.principal()).isPresent() ? Optional.of(key) : Optional.empty();
    }

    @Override
    public Optional<SecurityTokenService> sts() {
        return sessions == null ? Optional.empty() : Optional.of(new SecurityTokenService(this, identities, sessions,
                webIdentities, clock));
    }

    /** One message for every failure, so a caller cannot tell an unknown key from a wrong secret. */
    @Override
    public Principal authenticateKey(String accessKeyId, String secretAccessKey) {
        AuthException refused = new AuthException(Kind.UNRECOGNIZED_CLIENT, "the access key or its secret is not valid");
        if (accessKeyId == null || secretAccessKey == null) {
            throw refused;
        }
        AccessKey key = identities.findAccessKey(accessKeyId.strip()).orElseThrow(() -> refused);
        boolean matches = MessageDigest.isEqual(key.secret().getBytes(StandardCharsets.UTF_8),
                secretAccessKey.strip().getBytes(StandardCharsets.UTF_8));
        if (!matches || key.status() != AccessKey.Status.ACTIVE) {
            throw refused;
        }
        Principal principal = key.isRoot() ? Principal.root(key.account()) : Principal.user(key.account(), key.user());
        if (identityPolicies(principal).isEmpty()) {
            throw refused; // the owner was deleted
        }
        return principal;
    }

    /**
     * The token's principal and expiry; a deleted user's token is refused as {@link #authenticateRegistry} does. A
     * token issued to temporary credentials is refused: a console session keeps only the principal, and would drop
     * the session's policy and MFA facts that {@link #authenticateRegistry} applies.
     */
    @Override
    public PasswordCredential authenticatePassword(String password) {
        RegistryTokens.Verified verified = tokens.verifyToken(password);
        if (verified.session() != null) {
            throw new AuthException(Kind.UNRECOGNIZED_CLIENT,
                    "a registry password of temporary credentials cannot sign in to the console");
        }
        if (identityPolicies(verified.principal()).isEmpty()) {
            throw new AuthException(Kind.UNRECOGNIZED_CLIENT, RegistryTokens.INVALID); // the user was deleted
        }
        return new PasswordCredential(verified.principal(), verified.expiresAt());
    }

    /**
     * The key is read from the store on every call, as SigV4 reads it (keys are not cached); the owner through the
     * identity cache, as every authorization does (docs/security.md, "When changes apply").
     */
    @Override
    public boolean credentialStillValid(Principal principal, String accessKeyId) {
        if (accessKeyId != null) {
            Optional<AccessKey> key = identities.findAccessKey(accessKeyId);
            if (key.isEmpty() || key.get().status() != AccessKey.Status.ACTIVE
                    || !principalOf(key.get()).equals(principal)) {
                return false;
            }
        }
        return identityPolicies(principal).isPresent();
    }

    private static Principal principalOf(AccessKey key) {
        return key.isRoot() ? Principal.root(key.account()) : Principal.user(key.account(), key.user());
    }

    /** {@code Basic base64("AWS:" + password)}; anything else is not a credential of ours. */
    @Override
    public Principal authenticateRegistry(String authorizationHeader) {
        if (authorizationHeader == null || authorizationHeader.isBlank()) {
            throw new AuthException(Kind.MISSING, "Missing Authentication Token");
        }
        String value = authorizationHeader.strip();
        if (value.length() < 6 || !value.substring(0, 6).toLowerCase(Locale.ROOT).equals("basic ")) {
            throw new AuthException(Kind.UNRECOGNIZED_CLIENT, "only Basic authentication with an ECR token is supported");
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(value.substring(6).strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new AuthException(Kind.UNRECOGNIZED_CLIENT, RegistryTokens.INVALID);
        }
        int colon = decoded.indexOf(':');
        if (colon < 0 || !decoded.substring(0, colon).equals("AWS")) {
            throw new AuthException(Kind.UNRECOGNIZED_CLIENT, "the user name must be AWS");
        }
        RegistryTokens.Verified verified = tokens.verifyToken(decoded.substring(colon + 1));
        Principal principal = verified.principal();
        if (verified.session() != null) { // issued to temporary credentials: their session's condition keys apply
            if (sessions == null) {
                throw new AuthException(Kind.UNRECOGNIZED_CLIENT, RegistryTokens.INVALID);
            }
            principal = sessions.openSession(verified.session());
        }
        if (identityPolicies(principal).isEmpty()) {
            throw new AuthException(Kind.UNRECOGNIZED_CLIENT, RegistryTokens.INVALID); // the user was deleted
        }
        return principal;
    }

    @Override
    public void authorize(Principal principal, String action, String resourceArn, String sourceIp) {
        Optional<List<PolicyDocument>> identity = identityPolicies(principal);
        Map<String, List<String>> context = new HashMap<>();
        Instant now = clock.instant();
        context.put("aws:CurrentTime", List.of(now.toString()));
        context.put("aws:EpochTime", List.of(Long.toString(now.getEpochSecond())));
        if (sourceIp != null) {
            context.put("aws:SourceIp", List.of(sourceIp));
        }
        AuthzRequest request = new AuthzRequest(principal, action, resourceArn, null, context);
        String repository = repositoryName(resourceArn);
        PolicyDocument repositoryPolicy = repository == null ? null
                : resources.repositoryPolicy(request.resourceAccount(), repository);
        PolicyDocument registryPolicy = resources.registryPolicy(request.resourceAccount());
        boolean allowed = identity.isPresent()
                && PolicyEvaluator.evaluate(request, identity.get(), repositoryPolicy, registryPolicy).allowed();
        if (!allowed) {
            throw AuthException.accessDenied(principal.arn(), action, resourceArn);
        }
    }

    /** For temporary credentials: valid no longer than they are, and carrying their session. */
    @Override
    public RegistryToken issueRegistryToken(Principal principal) {
        if (principal.session() == null || sessions == null) {
            return tokens.issue(principal);
        }
        return tokens.issue(principal.identity(), principal.session().expiresAt(), sessions.sealSession(principal));
    }

    /** The repository an ECR ARN names ({@code ...:repository/<name>}); null for wildcards and other resources. */
    static String repositoryName(String resourceArn) {
        String[] parts = resourceArn.split(":", 6);
        if (parts.length != 6 || !parts[5].startsWith("repository/")) {
            return null;
        }
        String name = parts[5].substring("repository/".length());
        return name.isEmpty() || name.contains("*") || name.contains("?") ? null : name;
    }

    /** The identity's policies (a session's are its role's or user's); empty when the identity no longer exists. */
    Optional<List<PolicyDocument>> identityPolicies(Principal principal) {
        if (identitiesChanged.getAsBoolean()) {
            policies.invalidateAll();
        }
        return policies.get(principal.identity(), this::loadIdentityPolicies);
    }

    private Optional<List<PolicyDocument>> loadIdentityPolicies(Principal principal) {
        if (principal.isRoot()) {
            return identities.accountExists(principal.account()) ? Optional.of(List.of()) : Optional.empty();
        }
        if (principal.roleName() != null) {
            String role = principal.roleName();
            return identities.findRole(principal.account(), role).isEmpty() ? Optional.empty()
                    : Optional.of(parse(identities.listRolePolicies(principal.account(), role), principal));
        }
        int mark = principal.arn().indexOf(USER_ARN_MARK);
        String user = mark < 0 ? null : principal.arn().substring(mark + USER_ARN_MARK.length());
        if (user == null || identities.findUser(principal.account(), user).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(parse(identities.listUserPolicies(principal.account(), user), principal));
    }

    private static List<PolicyDocument> parse(List<UserPolicy> inline, Principal principal) {
        List<PolicyDocument> parsed = new ArrayList<>();
        for (UserPolicy p : inline) {
            try {
                parsed.add(PolicyDocument.parse(p.document()));
            } catch (PolicySyntaxException e) {
                // validated when put; a policy an older version accepted grants nothing now
                LOG.warn("ignoring inline policy {} of {}: {}", p.name(), principal.arn(), e.getMessage());
            }
        }
        return List.copyOf(parsed);
    }
}
