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
        values.putIfAbsent("aws:PrincipalArn", List.of(p.arn()));
        values.putIfAbsent("aws:PrincipalAccount", List.of(p.account()));
        values.putIfAbsent("aws:PrincipalType", List.of(p.isRoot() ? "Account" : "User"));
        values.putIfAbsent("aws:ResourceAccount", List.of(request.resourceAccount()));
        if (p.userName() != null) {
            values.putIfAbsent("aws:username", List.of(p.userName()));
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
