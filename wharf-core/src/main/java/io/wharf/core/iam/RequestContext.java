package io.wharf.core.iam;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The request as conditions and policy variables see it: the caller's context keys plus the keys IAM
 * derives from the request itself (aws:PrincipalArn, aws:PrincipalAccount, aws:PrincipalType,
 * aws:username, aws:ResourceAccount) unless the caller supplied them.
 */
final class RequestContext {

    private final AuthzRequest request;
    private final Map<String, List<String>> values = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

    RequestContext(AuthzRequest request) {
        this.request = request;
        values.putAll(request.context());
        Principal p = request.principal();
        values.putIfAbsent("aws:PrincipalArn", List.of(p.roleArn() != null ? p.roleArn() : p.arn()));
        values.putIfAbsent("aws:PrincipalAccount", List.of(p.account()));
        values.putIfAbsent("aws:PrincipalType", List.of(p.isRoot() ? "Account" : p.roleArn() != null ? "AssumedRole"
                : p.arn().contains(":oidc-provider/") ? "WebIdentity" : "User"));
        if (p.session() != null) {
            putSessionKeys(p.session());
        }
        values.putIfAbsent("aws:ResourceAccount", List.of(request.resourceAccount()));
        if (p.userName() != null) {
            values.putIfAbsent("aws:username", List.of(p.userName()));
        }
    }

    /**
     * As IAM: temporary credentials carry aws:MultiFactorAuthPresent ("false" without MFA; long-term keys carry no such
     * key, which is what BoolIfExists is for) and aws:TokenIssueTime; with MFA, aws:MultiFactorAuthAge is the seconds
     * since the code was checked, counted from the request's aws:EpochTime (the evaluator has no clock).
     */
    private void putSessionKeys(Session s) {
        values.putIfAbsent("aws:MultiFactorAuthPresent", List.of(Boolean.toString(s.mfa())));
        values.putIfAbsent("aws:TokenIssueTime", List.of(s.issuedAt().toString()));
        String epoch = single("aws:EpochTime");
        if (s.mfa() && epoch != null && epoch.matches("[0-9]{1,18}")) {
            long age = Math.max(0, Long.parseLong(epoch) - s.mfaAuthenticatedAt().getEpochSecond());
            values.putIfAbsent("aws:MultiFactorAuthAge", List.of(Long.toString(age)));
        }
    }

    Principal principal() {
        return request.principal();
    }

    String action() {
        return request.action();
    }

    String resource() {
        return request.resource();
    }

    /** The key's values; empty when the request does not carry the key. */
    List<String> values(String key) {
        return values.getOrDefault(key, List.of());
    }

    /** The key's value if it has exactly one (policy variables cannot stand for sets), else null. */
    String single(String key) {
        List<String> v = values(key);
        return v.size() == 1 ? v.getFirst() : null;
    }
}
