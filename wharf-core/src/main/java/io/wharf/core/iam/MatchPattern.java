package io.wharf.core.iam;

import io.wharf.core.model.WildcardPattern;
import java.util.List;

/**
 * A value from a policy that request values are matched against: an Action, a Resource, or a string/ARN
 * condition value. In GLOB and ARN mode {@code *} and {@code ?} written in the policy are wildcards; text
 * substituted for a policy variable is always literal. Compiled once unless it holds variables.
 *
 * <p>ARN mode follows ArnLike: a wildcard stays inside its colon-separated field, except in the pattern's
 * last field, which also absorbs any further fields (so {@code arn:aws:ecr:*} covers every ECR ARN, and
 * the resource field {@code repository/*} covers nested names). Matching never backtracks
 * ({@link WildcardPattern}), so no policy can make it take exponential time.
 */
final class MatchPattern {

    enum Mode { LITERAL, GLOB, ARN }

    private static final int ARN_FIELDS_BEFORE_RESOURCE = 5;

    private final String text;
    private final Mode mode;
    private final boolean ignoreCase;
    private final WildcardPattern compiled; // null when variables must be substituted per request

    MatchPattern(String text, Mode mode, boolean ignoreCase, boolean variablesEnabled) {
        this.text = text;
        this.mode = mode;
        this.ignoreCase = ignoreCase;
        boolean variables = variablesEnabled && PolicyVariables.containsVariable(text);
        this.compiled = variables ? null : compile(List.of(new PolicyVariables.Piece(text, false)));
    }

    boolean matches(String value, RequestContext ctx) {
        WildcardPattern p = compiled;
        if (p == null) {
            List<PolicyVariables.Piece> pieces = PolicyVariables.resolve(text, ctx);
            if (pieces == null) {
                return false;
            }
            p = compile(pieces);
        }
        return p.matches(value);
    }

    private WildcardPattern compile(List<PolicyVariables.Piece> pieces) {
        long colons = mode != Mode.ARN ? 0 : pieces.stream().flatMapToInt(p -> p.text().chars()).filter(c -> c == ':').count();
        long strictFields = Math.min(colons, ARN_FIELDS_BEFORE_RESOURCE);
        WildcardPattern.Builder pattern = WildcardPattern.builder();
        int field = 0;
        for (PolicyVariables.Piece piece : pieces) {
            for (int c : piece.text().codePoints().toArray()) {
                boolean wildcard = mode != Mode.LITERAL && !piece.substituted() && (c == '*' || c == '?');
                int excluded = field < strictFields ? ':' : -1;
                if (wildcard && c == '*') {
                    pattern.run(excluded);
                } else if (wildcard) {
                    pattern.one(excluded);
                } else {
                    field += c == ':' ? 1 : 0;
                    pattern.literal(c);
                }
            }
        }
        return pattern.build(ignoreCase);
    }

    @Override
    public String toString() {
        return text;
    }
}
