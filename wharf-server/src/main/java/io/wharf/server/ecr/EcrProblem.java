package io.wharf.server.ecr;

import java.util.Map;

/**
 * A failure found at the ECR edge (bad JSON, a broken model constraint, an unknown operation), or
 * a domain failure already mapped by {@link EcrErrors}. {@code extra} holds members besides
 * {@code message} that a few exception shapes carry (InvalidLayerPartException).
 */
final class EcrProblem extends RuntimeException {
    final EcrError error;
    final Map<String, Object> extra;

    EcrProblem(EcrError error, String message) {
        this(error, message, Map.of());
    }

    EcrProblem(EcrError error, String message, Map<String, Object> extra) {
        super(message, null, false, false);
        this.error = error;
        this.extra = extra;
    }

    static EcrProblem invalid(String message) {
        return new EcrProblem(EcrError.InvalidParameterException, message);
    }

    /** ECR's wording for a broken model constraint. */
    static EcrProblem constraint(String member, String constraint) {
        return invalid("Invalid parameter at '" + member + "' failed to satisfy constraint: '" + constraint + "'");
    }
}
