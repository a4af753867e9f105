package io.wharf.core.iam;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One authorization question: may {@code principal} perform {@code action} (e.g. {@code ecr:PutImage}) on
 * {@code resource} (a repository ARN, or {@code *} for account-level actions such as GetAuthorizationToken)?
 *
 * <p>{@code resourceAccount} owns the resource; when null it is taken from the ARN's account field, and for
 * {@code *} resources it is the caller's account. {@code context} holds condition keys (aws:SourceIp,
 * aws:CurrentTime, aws:MultiFactorAuthPresent, aws:ResourceTag/&lt;key&gt;, ...); keys are case-insensitive,
 * as in IAM, and empty value lists count as absent keys.
 */
public record AuthzRequest(Principal principal, String action, String resource, String resourceAccount,
                           Map<String, List<String>> context) {

    public AuthzRequest {
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(resource, "resource");
        if (resourceAccount == null || resourceAccount.isEmpty()) {
            resourceAccount = accountOf(resource, principal.account());
        }
        context = caseInsensitiveCopy(context);
    }

    /** A request without condition context, on a resource owned by the account its ARN names. */
    public AuthzRequest(Principal principal, String action, String resource) {
        this(principal, action, resource, null, Map.of());
    }

    private static String accountOf(String resource, String callerAccount) {
        String[] parts = resource.split(":", 6);
        boolean named = parts.length == 6 && parts[0].equals("arn") && !parts[4].isEmpty() && !parts[4].equals("*");
        return named ? parts[4] : callerAccount;
    }

    private static Map<String, List<String>> caseInsensitiveCopy(Map<String, List<String>> context) {
        TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (context != null) {
            context.forEach((key, values) -> {
                List<String> present = values == null ? List.of() : values.stream().filter(Objects::nonNull).toList();
                if (key != null && !present.isEmpty()) {
                    copy.merge(key, present, AuthzRequest::concat); // "aws:SourceIp" and "AWS:SourceIP" are one key
                }
            });
        }
        return Collections.unmodifiableMap(copy);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }
}
