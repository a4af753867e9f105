package io.wharf.server.authz;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.server.authz.MatrixExpectations.Api;
import io.wharf.server.authz.MatrixProbes.Outcome;
import java.util.Set;

/** What a refusal looks like in each protocol, for the anonymous caller (unauthenticated) and for the others. */
final class MatrixVerdicts {
    /** ECR's answers that mean "not authenticated" or "not authorized" (the rest are the call's own). */
    private static final Set<String> ECR_REFUSALS = Set.of("AccessDeniedException", "MissingAuthenticationTokenException",
            "UnrecognizedClientException", "InvalidSignatureException", "IncompleteSignatureException",
            "ExpiredTokenException");

    private MatrixVerdicts() {
    }

    /** Whether the answer is an authentication or authorization refusal, in any shape. */
    static boolean denied(MatrixExpectations.Row row, Outcome o) {
        return switch (row.api()) {
            case ECR, ECR_PUBLIC, SECRETS_MANAGER, CLOUDTRAIL -> o.status() == 401 || o.status() == 403 || o.code() != null && ECR_REFUSALS.contains(o.code());
            // the console sends a visitor without a session to its sign-in form
            // (signing out ends there too)
            case CONSOLE -> o.status() == 401 || o.status() == 403
                    || "/console/sign-in".equals(o.location()) && !row.operation().equals("SignOut");
            default -> o.status() == 401 || o.status() == 403;
        };
    }

    static void assertDeniedInShape(Api api, MatrixPrincipal who, Outcome o, String what) {
        boolean anonymous = api == Api.CONSOLE ? MatrixConsole.signedOut(who) : who == MatrixPrincipal.ANONYMOUS;
        switch (api) {
            // ECR answers a missing signature 403 and a policy's refusal 400 AccessDeniedException, as ECR does
            case ECR, ECR_PUBLIC, SECRETS_MANAGER, CLOUDTRAIL -> assertThat(o.status() + " " + o.code()).as("%s: %s", what, o).isEqualTo(anonymous
                    ? "403 MissingAuthenticationTokenException" : "400 AccessDeniedException");
            // the registry's and Wharf's API: 401 with the Basic (or Bearer) challenge, else 403 DENIED
            case OCI, OCI_PUBLIC_REPO, WHARF -> {
                // a HEAD's answer has no body: its status is all a client sees
                String code = o.body().isEmpty() ? (anonymous ? "UNAUTHORIZED" : "DENIED") : o.code();
                assertThat(o.status() + " " + code).as("%s: %s", what, o)
                        .isEqualTo(anonymous ? "401 UNAUTHORIZED" : "403 DENIED");
                assertThat(o.challenge()).as("%s: a 401 carries the challenge: %s", what, o).isEqualTo(anonymous);
            }
            // the console: no session, a page redirects to the sign-in form and a form POST is refused (403), a sign-in
            // without credentials shows the form again (401); a session whose principal may not: a 403 page
            case CONSOLE -> assertThat(o.status() == 303 ? "303 " + o.location() : String.valueOf(o.status()))
                    .as("%s: %s", what, o).isIn(anonymous ? Set.of("303 /console/sign-in", "403", "401") : Set.of("403"));
            case STS -> assertThat(o.status() + " " + o.code()).as("%s: %s", what, o)
                    .isEqualTo(anonymous ? "403 MissingAuthenticationToken" : "403 AccessDenied");
        }
    }
}
