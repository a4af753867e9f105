package io.wharf.core.iam;

import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * IAM policy evaluation as it applies to ECR. Pure: no I/O, no clock (aws:CurrentTime comes from the
 * request context), safe to call from any thread.
 *
 * <ol>
 *   <li>An explicit Deny in any applicable policy wins.</li>
 *   <li>Same account: allowed if an identity policy or the repository/registry policy allows. The account
 *       root may do anything to its own resources.</li>
 *   <li>Cross-account: both sides must agree: the caller's own account (identity policy, or being its
 *       root) and the resource's account (repository or registry policy naming the caller).</li>
 * </ol>
 */
public final class PolicyEvaluator {

    private PolicyEvaluator() {}

    /**
     * @param identityPolicies policies attached to the principal (ignored for a root principal)
     * @param resourcePolicy   the repository policy, or null
     * @param registryPolicy   the registry policy of the resource's account, or null
     */
    public static Decision evaluate(AuthzRequest request, List<PolicyDocument> identityPolicies,
                                    PolicyDocument resourcePolicy, PolicyDocument registryPolicy) {
        RequestContext ctx = new RequestContext(request);
        Principal caller = request.principal();
        // Identity policies cannot be attached to a root user, so none can restrict (or grant) it.
        List<PolicyDocument> identity = caller.isRoot() || identityPolicies == null
                ? List.of() : identityPolicies.stream().filter(Objects::nonNull).toList();
        List<PolicyDocument> resource = Stream.of(resourcePolicy, registryPolicy).filter(Objects::nonNull).toList();

        List<PolicyDocument> session = sessionPolicy(caller);
        if (anyApplies(identity, Statement.Effect.DENY, true, ctx) || anyApplies(resource, Statement.Effect.DENY, false, ctx)
                || anyApplies(session, Statement.Effect.DENY, true, ctx)) {
            return Decision.EXPLICIT_DENY;
        }
        boolean callerSide = caller.isRoot() || anyApplies(identity, Statement.Effect.ALLOW, true, ctx);
        boolean resourceSide = anyApplies(resource, Statement.Effect.ALLOW, false, ctx);
        boolean sameAccount = caller.account().equals(request.resourceAccount());
        boolean allowed = sameAccount ? callerSide || resourceSide : callerSide && resourceSide;
        // a session policy only narrows: the effective permissions are the intersection
        boolean sessionAllows = session.isEmpty() || anyApplies(session, Statement.Effect.ALLOW, true, ctx);
        return allowed && sessionAllows ? Decision.ALLOW : Decision.IMPLICIT_DENY;
    }

    /**
     * May the caller assume a role ({@code sts:AssumeRole} on its ARN), by the role's trust policy and the caller's
     * identity policies, as IAM decides it: an explicit Deny in either wins; a trust policy that names the caller
     * itself (its ARN, its role's ARN, or {@code *}) suffices within the role's account; a trust policy that names
     * only the caller's account delegates to that account, whose identity policy must then allow too; across
     * accounts both sides must allow. A session policy of the caller narrows as everywhere.
     */
    public static Decision evaluateTrust(AuthzRequest request, List<PolicyDocument> identityPolicies,
                                         PolicyDocument trustPolicy) {
        RequestContext ctx = new RequestContext(request);
        List<PolicyDocument> identity = identityPolicies == null ? List.of()
                : identityPolicies.stream().filter(Objects::nonNull).toList();
        List<PolicyDocument> trust = trustPolicy == null ? List.of() : List.of(trustPolicy);
        List<PolicyDocument> session = sessionPolicy(request.principal());
        if (anyApplies(identity, Statement.Effect.DENY, true, ctx) || anyApplies(trust, Statement.Effect.DENY, false, ctx)
                || anyApplies(session, Statement.Effect.DENY, true, ctx)) {
            return Decision.EXPLICIT_DENY;
        }
        boolean callerSide = anyApplies(identity, Statement.Effect.ALLOW, true, ctx)
                && (session.isEmpty() || anyApplies(session, Statement.Effect.ALLOW, true, ctx));
        boolean named = trust.stream().flatMap(p -> p.statements().stream())
                .anyMatch(s -> s.effect() == Statement.Effect.ALLOW && s.appliesNamingDirectly(ctx));
        boolean delegated = anyApplies(trust, Statement.Effect.ALLOW, false, ctx);
        boolean sameAccount = request.principal().account().equals(request.resourceAccount());
        boolean allowed = sameAccount && named && (session.isEmpty() || callerSide) || delegated && callerSide;
        return allowed ? Decision.ALLOW : Decision.IMPLICIT_DENY;
    }

    private static List<PolicyDocument> sessionPolicy(Principal caller) {
        return caller.session() == null || caller.session().policy() == null ? List.of() : List.of(caller.session().policy());
    }

    private static boolean anyApplies(List<PolicyDocument> policies, Statement.Effect effect, boolean identity, RequestContext ctx) {
        for (PolicyDocument policy : policies) {
            for (Statement s : policy.statements()) {
                if (s.effect() == effect && s.applies(ctx, identity)) {
                    return true;
                }
            }
        }
        return false;
    }
}
