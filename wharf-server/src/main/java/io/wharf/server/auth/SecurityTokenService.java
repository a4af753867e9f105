package io.wharf.server.auth;

import io.wharf.core.iam.AuthzRequest;
import io.wharf.core.iam.PolicyDocument;
import io.wharf.core.iam.PolicyEvaluator;
import io.wharf.core.iam.PolicySyntaxException;
import io.wharf.core.iam.Principal;
import io.wharf.core.iam.Session;
import io.wharf.core.identity.IamRole;
import io.wharf.core.identity.IdentityException;
import io.wharf.core.identity.IdentityException.Kind;
import io.wharf.core.identity.IdentityStore;
import io.wharf.core.identity.MfaDevice;
import io.wharf.core.identity.Totp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * STS's credential-issuing operations, protocol-free: AssumeRole (trust policy and the caller's identity policies,
 * as IAM decides it) and GetSessionToken (a user's own permissions, with MFA when a code is given). Refusals are
 * {@link AuthException} (not allowed) or {@link IdentityException} (bad input); the STS adapter words them.
 */
public final class SecurityTokenService {
    public static final Duration MIN_DURATION = Duration.ofMinutes(15);
    public static final Duration DEFAULT_ROLE_SESSION = Duration.ofHours(1);
    /** GetSessionToken: IAM users 15 minutes to 36 hours (12 by default); the root at most one hour. */
    public static final Duration DEFAULT_USER_SESSION = Duration.ofHours(12);
    public static final Duration MAX_USER_SESSION = Duration.ofHours(36);
    public static final Duration MAX_ROOT_SESSION = Duration.ofHours(1);
    /** A role session that assumes another role (role chaining) gets at most an hour, as in AWS. */
    public static final Duration MAX_CHAINED_SESSION = Duration.ofHours(1);
    /** STS's limit on an inline session policy's plain text. */
    public static final int MAX_SESSION_POLICY_CHARS = 2048;
    private static final Pattern SESSION_NAME = Pattern.compile("[\\w+=,.@-]{2,64}");
    private static final Pattern ROLE_ARN = Pattern.compile("arn:aws:iam::([0-9]{12}):role/([\\w+=,.@-]{1,64})");

    /** AssumeRole's parameters; {@code duration}, {@code policy}, {@code serialNumber}, {@code tokenCode} may be null. */
    public record AssumeRole(String roleArn, String sessionName, Duration duration, String policy, String serialNumber,
                             String tokenCode) {
    }

    /** AssumeRoleWithWebIdentity's answer: the credentials and the token's subject, audience and provider. */
    public record WebIdentitySession(SessionTokens.Credentials credentials, String subject, String audience,
                                     String provider) {
    }

    private final IamAuth auth;
    private final IdentityStore identities;
    private final SessionTokens sessions;
    private final WebIdentityTokens webIdentities;
    private final Clock clock;

    SecurityTokenService(IamAuth auth, IdentityStore identities, SessionTokens sessions, WebIdentityTokens webIdentities,
                         Clock clock) {
        this.auth = auth;
        this.identities = identities;
        this.sessions = sessions;
        this.webIdentities = webIdentities;
        this.clock = clock;
    }

    /**
     * A role session for the holder of an OIDC token (no AWS credentials): the token is verified against a provider of
     * the role's account, and the role's trust policy must name that provider ({@code Federated}) for the action
     * {@code sts:AssumeRoleWithWebIdentity}, its conditions seeing {@code <issuer>:sub} and {@code <issuer>:aud}.
     */
    public WebIdentitySession assumeRoleWithWebIdentity(AssumeRole call, String webIdentityToken, String sourceIp) {
        Matcher arn = checkCall(call);
        PolicyDocument sessionPolicy = sessionPolicy(call.policy());
        if (webIdentities == null) {
            throw new AuthException(AuthException.Kind.ACCESS_DENIED, "Web identity federation is not enabled");
        }
        WebIdentityTokens.Verified token = webIdentities.verify(arn.group(1), webIdentityToken);
        Principal federated = new Principal(token.provider().account(), token.provider().arn());
        Instant now = clock.instant();
        IamRole role = identities.findRole(arn.group(1), arn.group(2))
                .filter(r -> trustsWebIdentity(r, federated, token, now, sourceIp))
                .orElseThrow(() -> new AuthException(AuthException.Kind.ACCESS_DENIED,
                        "Not authorized to perform sts:AssumeRoleWithWebIdentity"));
        Duration duration = roleDuration(federated, role, call.duration());
        Session session = new Session(now, now.plus(duration), null, sessionPolicy);
        SessionTokens.Credentials credentials = sessions.issue(Principal.assumedRole(role.account(), role.name(),
                call.sessionName(), session));
        String audience = token.claims().getAudience().stream().filter(token.provider().clientIds()::contains)
                .findFirst().orElseThrow(); // the verifier checked there is one
        return new WebIdentitySession(credentials, token.claims().getSubject(), audience, token.provider().issuer());
    }

    /** The trust policy's decision, its conditions seeing the token's claims as {@code <issuer>:sub} and {@code :aud}. */
    private static boolean trustsWebIdentity(IamRole role, Principal federated, WebIdentityTokens.Verified token,
                                             Instant now, String sourceIp) {
        Map<String, List<String>> context = context(now, sourceIp);
        String key = token.provider().key();
        context.put(key + ":sub", List.of(token.claims().getSubject()));
        context.put(key + ":aud", token.claims().getAudience());
        context.put("aws:FederatedProvider", List.of(token.provider().arn()));
        AuthzRequest request = new AuthzRequest(federated, "sts:AssumeRoleWithWebIdentity", role.arn(), role.account(),
                context);
        return PolicyEvaluator.evaluateTrust(request, List.of(), parseTrust(role)).allowed();
    }

    /** The session name's and role ARN's syntax; the ARN's account and role name as groups 1 and 2. */
    private static Matcher checkCall(AssumeRole call) {
        if (call.sessionName() == null || !SESSION_NAME.matcher(call.sessionName()).matches()) {
            throw invalid("roleSessionName", call.sessionName(), "Member must satisfy regular expression pattern: [\\w+=,.@-]{2,64}");
        }
        Matcher arn = call.roleArn() == null ? null : ROLE_ARN.matcher(call.roleArn());
        if (arn == null || !arn.matches()) {
            throw invalid("roleArn", call.roleArn(), "Member must be a role ARN such as arn:aws:iam::123456789012:role/name");
        }
        return arn;
    }

    private static Map<String, List<String>> context(Instant now, String sourceIp) {
        Map<String, List<String>> context = new HashMap<>();
        context.put("aws:CurrentTime", List.of(now.toString()));
        context.put("aws:EpochTime", List.of(Long.toString(now.getEpochSecond())));
        if (sourceIp != null) {
            context.put("aws:SourceIp", List.of(sourceIp));
        }
        return context;
    }

    private static PolicyDocument parseTrust(IamRole role) {
        try {
            return PolicyDocument.parse(role.trustPolicy());
        } catch (PolicySyntaxException e) {
            return null; // validated when created; a trust policy an older version accepted lets nobody in
        }
    }

    /** Credentials of a session of the role, if its trust policy and the caller's own policies let the caller in. */
    public SessionTokens.Credentials assumeRole(Principal caller, AssumeRole call, String sourceIp) {
        Matcher arn = checkCall(call);
        PolicyDocument sessionPolicy = sessionPolicy(call.policy());
        if (caller.isRoot()) {
            throw new AuthException(AuthException.Kind.ACCESS_DENIED, "Roles may not be assumed by root accounts.");
        }
        Instant now = clock.instant();
        boolean mfa = call.serialNumber() != null && checkMfa(caller, call.serialNumber(), call.tokenCode(), now);
        IamRole role = identities.findRole(arn.group(1), arn.group(2))
                .orElseThrow(() -> AuthException.accessDenied(caller.arn(), "sts:AssumeRole", call.roleArn()));
        if (!trusted(caller, role, mfa, now, sourceIp)) {
            throw AuthException.accessDenied(caller.arn(), "sts:AssumeRole", call.roleArn());
        }
        Duration duration = roleDuration(caller, role, call.duration());
        Session session = new Session(now, now.plus(duration), mfa ? now : null, sessionPolicy);
        return sessions.issue(Principal.assumedRole(role.account(), role.name(), call.sessionName(), session));
    }

    /** Credentials with the caller's own permissions; with a serial number and code, an MFA session. */
    public SessionTokens.Credentials getSessionToken(Principal caller, Duration requested, String serialNumber,
                                                     String tokenCode) {
        if (caller.session() != null) {
            throw new AuthException(AuthException.Kind.ACCESS_DENIED, "Cannot call GetSessionToken with session credentials");
        }
        Duration max = caller.isRoot() ? MAX_ROOT_SESSION : MAX_USER_SESSION;
        Duration duration = requested == null ? (caller.isRoot() ? MAX_ROOT_SESSION : DEFAULT_USER_SESSION) : requested;
        if (duration.compareTo(MIN_DURATION) < 0 || duration.compareTo(max) > 0) {
            throw invalid("durationSeconds", Long.toString(duration.toSeconds()), "Member must have value between "
                    + MIN_DURATION.toSeconds() + " and " + max.toSeconds());
        }
        if (serialNumber == null && tokenCode != null) {
            throw invalid("serialNumber", null, "Member must not be null when tokenCode is given");
        }
        Instant now = clock.instant();
        boolean mfa = serialNumber != null && checkMfa(caller, serialNumber, tokenCode, now);
        return sessions.issue(caller.withSession(new Session(now, now.plus(duration), mfa ? now : null, null)));
    }

    /** IAM's decision on sts:AssumeRole, with the MFA just proven (if any) as the caller's condition keys. */
    private boolean trusted(Principal caller, IamRole role, boolean mfa, Instant now, String sourceIp) {
        Optional<List<PolicyDocument>> identity = auth.identityPolicies(caller);
        PolicyDocument trust = parseTrust(role);
        if (trust == null) {
            return false;
        }
        Map<String, List<String>> context = context(now, sourceIp);
        if (mfa) {
            context.put("aws:MultiFactorAuthPresent", List.of("true"));
            context.put("aws:MultiFactorAuthAge", List.of("0"));
        }
        AuthzRequest request = new AuthzRequest(caller, "sts:AssumeRole", role.arn(), role.account(), context);
        return identity.isPresent() && PolicyEvaluator.evaluateTrust(request, identity.get(), trust).allowed();
    }

    private static Duration roleDuration(Principal caller, IamRole role, Duration requested) {
        Duration duration = requested == null ? DEFAULT_ROLE_SESSION : requested;
        if (duration.compareTo(MIN_DURATION) < 0 || duration.compareTo(IamRole.MAX_SESSION) > 0) {
            throw invalid("durationSeconds", Long.toString(duration.toSeconds()), "Member must have value between "
                    + MIN_DURATION.toSeconds() + " and " + IamRole.MAX_SESSION.toSeconds());
        }
        if (duration.compareTo(role.maxSessionDuration()) > 0) {
            throw new IdentityException(Kind.INVALID_INPUT,
                    "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
        }
        if (caller.roleName() != null && duration.compareTo(MAX_CHAINED_SESSION) > 0) {
            throw new IdentityException(Kind.INVALID_INPUT, "The requested DurationSeconds exceeds the 1 hour session"
                    + " limit for roles assumed by role chaining.");
        }
        return duration;
    }

    private static PolicyDocument sessionPolicy(String policy) {
        if (policy == null) {
            return null;
        }
        if (policy.length() > MAX_SESSION_POLICY_CHARS) {
            throw new IdentityException(Kind.LIMIT_EXCEEDED, "Session policy of " + policy.length()
                    + " characters exceeds the limit of " + MAX_SESSION_POLICY_CHARS);
        }
        try {
            return PolicyDocument.parse(policy).requireIdentityPolicy();
        } catch (PolicySyntaxException e) {
            throw new IdentityException(Kind.MALFORMED_POLICY_DOCUMENT, e.getMessage());
        }
    }

    /**
     * The caller's device and a code of it within one step of now, not used before (the device's last used step
     * moves forward by compare-and-set, so two nodes cannot both accept one code).
     */
    private boolean checkMfa(Principal caller, String serialNumber, String tokenCode, Instant now) {
        if (tokenCode == null || !tokenCode.matches("[0-9]{6}")) {
            throw invalid("tokenCode", tokenCode, "Member must satisfy regular expression pattern: [\\d]{6}");
        }
        String user = caller.roleName() == null && !caller.isRoot() ? userName(caller) : null;
        Optional<MfaDevice> device = user == null ? Optional.empty() : identities.findMfaDevice(caller.account(), user)
                .filter(d -> d.serialNumber().equals(serialNumber));
        if (device.isEmpty()) {
            throw new AuthException(AuthException.Kind.ACCESS_DENIED, "MultiFactorAuthentication failed, unable to "
                    + "validate MFA code. Please verify your MFA serial number is valid and associated with this user.");
        }
        OptionalLong step = Totp.matchingStep(device.get().secret(), tokenCode, now);
        if (step.isEmpty() || !identities.useMfaStep(caller.account(), device.get().user(), step.getAsLong())) {
            throw new AuthException(AuthException.Kind.ACCESS_DENIED,
                    "MultiFactorAuthentication failed with invalid MFA one time pass code.");
        }
        return true;
    }

    private static String userName(Principal caller) {
        int at = caller.arn().indexOf(":user/");
        return at < 0 ? null : caller.arn().substring(caller.arn().lastIndexOf('/') + 1);
    }

    /** AWS's wording of a parameter that fails its constraint. */
    private static IdentityException invalid(String member, String value, String constraint) {
        return new IdentityException(Kind.INVALID_INPUT, "1 validation error detected: Value " + (value == null ? "null"
                : "'" + value + "'") + " at '" + member + "' failed to satisfy constraint: " + constraint);
    }
}
