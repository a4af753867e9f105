package io.wharf.core.iam;

import java.util.ArrayList;
import java.util.List;

/**
 * Policy variables ({@code ${aws:username}}, {@code ${aws:PrincipalTag/team, 'none'}}, and the escapes
 * {@code ${*}}, {@code ${?}}, {@code ${$}}), which IAM substitutes in Resource and string/ARN condition
 * values of Version 2012-10-17 documents.
 */
final class PolicyVariables {

    /** A run of pattern text: written in the policy (wildcards active) or substituted (always literal). */
    record Piece(String text, boolean substituted) {}

    private PolicyVariables() {}

    static boolean containsVariable(String text) {
        return text.contains("${");
    }

    /** Splits {@code text} into policy text and substituted values; null if a variable has no value and no default. */
    static List<Piece> resolve(String text, RequestContext ctx) {
        List<Piece> pieces = new ArrayList<>();
        int from = 0;
        while (true) {
            int start = text.indexOf("${", from);
            int end = start < 0 ? -1 : text.indexOf('}', start);
            if (end < 0) {
                pieces.add(new Piece(text.substring(from), false));
                return pieces;
            }
            pieces.add(new Piece(text.substring(from, start), false));
            String value = valueOf(text.substring(start + 2, end).trim(), ctx);
            if (value == null) {
                return null; // IAM: a variable without a value makes the element match nothing
            }
            pieces.add(new Piece(value, true));
            from = end + 1;
        }
    }

    private static String valueOf(String expression, RequestContext ctx) {
        if (expression.equals("*") || expression.equals("?") || expression.equals("$")) {
            return expression;
        }
        int comma = expression.indexOf(',');
        String value = ctx.single(comma < 0 ? expression : expression.substring(0, comma).trim());
        if (value != null || comma < 0) {
            return value;
        }
        String fallback = expression.substring(comma + 1).trim();
        boolean quoted = fallback.length() >= 2 && fallback.startsWith("'") && fallback.endsWith("'");
        return quoted ? fallback.substring(1, fallback.length() - 1) : null;
    }
}
