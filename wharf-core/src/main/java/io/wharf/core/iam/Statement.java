package io.wharf.core.iam;

import java.util.List;

/**
 * One parsed policy statement. {@code principal} is null when the statement has neither Principal nor
 * NotPrincipal; {@code resources} is null when it has neither Resource nor NotResource.
 */
record Statement(String sid, Effect effect, PrincipalSet principal, boolean notPrincipal,
                 List<MatchPattern> actions, boolean notAction,
                 List<MatchPattern> resources, boolean notResource, List<Condition> conditions) {

    enum Effect { ALLOW, DENY }

    /** Whether this statement is about the request: principal, action, resource and every condition match. */
    boolean applies(RequestContext ctx, boolean identityPolicy) {
        return principalMatches(ctx, identityPolicy)
                && anyMatch(actions, ctx.action(), ctx) != notAction
                && resourceMatches(ctx, identityPolicy)
                && conditions.stream().allMatch(c -> c.matches(ctx));
    }

    /** As {@link #applies} for a resource policy, with the caller named by its own ARN (see PrincipalSet). */
    boolean appliesNamingDirectly(RequestContext ctx) {
        return principal != null && !notPrincipal && principal.matchesDirectly(ctx.principal()) && applies(ctx, false);
    }

    private boolean principalMatches(RequestContext ctx, boolean identityPolicy) {
        if (identityPolicy) {
            return true; // an identity policy is about the identity it is attached to
        }
        if (principal == null) {
            return false; // a resource-policy statement naming nobody applies to nobody (IAM rejects it anyway)
        }
        return principal.matches(ctx.principal()) != notPrincipal;
    }

    private boolean resourceMatches(RequestContext ctx, boolean identityPolicy) {
        if (resources == null) {
            // A repository policy may omit Resource: it is about the repository it is attached to.
            return !identityPolicy;
        }
        return anyMatch(resources, ctx.resource(), ctx) != notResource;
    }

    private static boolean anyMatch(List<MatchPattern> patterns, String value, RequestContext ctx) {
        for (MatchPattern p : patterns) {
            if (p.matches(value, ctx)) {
                return true;
            }
        }
        return false;
    }
}
