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

        if (anyApplies(identity, Statement.Effect.DENY, true, ctx) || anyApplies(resource, Statement.Effect.DENY, false, ctx)) {
            return Decision.EXPLICIT_DENY;
        }
        boolean callerSide = caller.isRoot() || anyApplies(identity, Statement.Effect.ALLOW, true, ctx);
        boolean resourceSide = anyApplies(resource, Statement.Effect.ALLOW, false, ctx);
        boolean sameAccount = caller.account().equals(request.resourceAccount());
        boolean allowed = sameAccount ? callerSide || resourceSide : callerSide && resourceSide;
        return allowed ? Decision.ALLOW : Decision.IMPLICIT_DENY;
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
