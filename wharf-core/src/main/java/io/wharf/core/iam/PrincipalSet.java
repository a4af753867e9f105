package io.wharf.core.iam;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Principal or NotPrincipal element of a resource policy. An account (bare id or its root ARN) stands
 * for every principal of that account, which is how IAM delegates to the other account's own policies;
 * other ARNs match exactly. A Federated OIDC provider ARN matches callers of AssumeRoleWithWebIdentity with that
 * provider's tokens; other Federated values, Service and CanonicalUser principals are accepted but never match.
 */
record PrincipalSet(boolean anyone, Set<String> accounts, Set<String> arns) {

    private static final Set<String> TYPES = Set.of("AWS", "Service", "Federated", "CanonicalUser");
    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    private static final Pattern ROOT = Pattern.compile("arn:[a-z0-9-]+:iam::(\\d{12}):root");
    // IAM rejects wildcards in principal ARNs; only "*" on its own means everyone.
    private static final Pattern FEDERATED = Pattern.compile("arn:[a-z0-9-]+:iam::\\d{12}:oidc-provider/[^*?\\s]+");
    private static final Pattern IDENTITY = Pattern.compile("arn:[a-z0-9-]+:(iam|sts)::\\d{12}:[^*?\\s]+");

    boolean matches(Principal p) {
        return anyone || accounts.contains(p.account()) || matchesDirectly(p);
    }

    /**
     * Whether the caller is named by its own ARN (or by {@code *}), not only through its account: a role's trust
     * policy that names an account delegates to that account's identity policies. A role's ARN names its sessions.
     */
    boolean matchesDirectly(Principal p) {
        return anyone || arns.contains(p.arn()) || (p.roleArn() != null && arns.contains(p.roleArn()));
    }

    static PrincipalSet parse(JsonNode node, String where) {
        if (node.isTextual()) {
            if (!node.textValue().equals("*")) {
                throw new PolicySyntaxException(where + " must be \"*\" or an object such as {\"AWS\": \"arn:aws:iam::123456789012:root\"}");
            }
            return new PrincipalSet(true, Set.of(), Set.of());
        }
        if (!node.isObject() || node.isEmpty()) {
            throw new PolicySyntaxException(where + " must be \"*\" or a non-empty object such as {\"AWS\": [...]}");
        }
        boolean anyone = false;
        Set<String> accounts = new HashSet<>();
        Set<String> arns = new HashSet<>();
        for (Map.Entry<String, JsonNode> type : node.properties()) {
            if (!TYPES.contains(type.getKey())) {
                throw new PolicySyntaxException(where + ": unknown principal type \"" + type.getKey() + "\" (expected one of " + TYPES + ")");
            }
            for (String value : PolicyParser.strings(type.getValue(), where, type.getKey())) {
                if (type.getKey().equals("AWS")) {
                    anyone |= addAws(value, accounts, arns, where);
                } else if (type.getKey().equals("Federated") && FEDERATED.matcher(value).matches()) {
                    arns.add(value); // a web identity caller is named by its provider's ARN, which no IAM identity has
                }
            }
        }
        return new PrincipalSet(anyone, Set.copyOf(accounts), Set.copyOf(arns));
    }

    /** Returns true for "*". */
    private static boolean addAws(String value, Set<String> accounts, Set<String> arns, String where) {
        Matcher root = ROOT.matcher(value);
        if (value.equals("*")) {
            return true;
        } else if (ACCOUNT.matcher(value).matches()) {
            accounts.add(value);
        } else if (root.matches()) {
            accounts.add(root.group(1));
        } else if (IDENTITY.matcher(value).matches()) {
            arns.add(value);
        } else {
            throw new PolicySyntaxException(where + ": invalid principal \"" + value
                    + "\" (expected \"*\", a 12-digit account id or an IAM ARN without wildcards)");
        }
        return false;
    }
}
