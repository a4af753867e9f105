package io.wharf.core.lifecycle;

import java.util.List;

/**
 * A parsed, validated ECR lifecycle policy: immutable, with its rules sorted by {@code rulePriority} and the
 * text kept exactly as given (PutLifecyclePolicy stores it and GetLifecyclePolicy returns it unchanged).
 * Two policies are equal when their rules are, however the JSON was laid out.
 *
 * <p>Evaluation is {@link LifecycleEvaluator}'s job; see {@code docs/lifecycle.md}.
 */
public final class LifecyclePolicy {

    /** Shortest {@code lifecyclePolicyText} the ECR API accepts (checked by the API layer, not by {@link #parse}). */
    public static final int MIN_LENGTH = 100;
    /** Longest {@code lifecyclePolicyText} the ECR API accepts (checked by the API layer, not by {@link #parse}). */
    public static final int MAX_LENGTH = 30_720;
    public static final int MAX_RULES = 50;
    /** Most {@code *} wildcards one entry of a {@code tagPatternList} may hold. */
    public static final int MAX_WILDCARDS = 4;
    /** Fewest days in archive before a {@code sinceImageTransitioned} rule may expire an image. */
    public static final int MIN_ARCHIVE_DAYS = 90;

    private final String json;
    private final List<Rule> rules;

    private LifecyclePolicy(String json, List<Rule> rules) {
        this.json = json;
        this.rules = List.copyOf(rules);
    }

    /**
     * Parses and validates a policy the way PutLifecyclePolicy and StartLifecyclePolicyPreview do, except for
     * the text length ({@link #MIN_LENGTH}–{@link #MAX_LENGTH}), which the API layer checks first.
     *
     * @throws LifecyclePolicyException with ECR's "Lifecycle policy validation failure: ..." wording
     */
    public static LifecyclePolicy parse(String json) throws LifecyclePolicyException {
        return new LifecyclePolicy(json, LifecyclePolicyParser.parse(json));
    }

    /** The rules, lowest {@code rulePriority} (applied first) first. */
    public List<Rule> rules() {
        return rules;
    }

    /** The policy text exactly as given to {@link #parse}. */
    public String json() {
        return json;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LifecyclePolicy p && rules.equals(p.rules);
    }

    @Override
    public int hashCode() {
        return rules.hashCode();
    }

    @Override
    public String toString() {
        return json;
    }
}
