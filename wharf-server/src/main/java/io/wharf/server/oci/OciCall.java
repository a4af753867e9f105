package io.wharf.server.oci;

import io.wharf.core.iam.Principal;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.pullthrough.PullThroughCache;
import io.wharf.core.service.RepoKey;
import io.wharf.server.http.Exchange;
import io.wharf.server.http.MalformedQueryException;
import java.util.function.Predicate;

/**
 * A routed OCI request: the exchange, the authenticated caller, its repository (null for /v2/ and _catalog),
 * the path's reference, whether the caller may read blobs of another repository (for mounts), and a check of
 * further IAM actions on its repository (what a pull-through cache's import needs).
 */
record OciCall(Exchange ex, Principal principal, RepoKey repo, String reference, String account,
               Predicate<RepositoryName> mayRead, PullThroughCache.Authorizer allow) {

    /** A query parameter (null when absent); one that does not decode is answered with {@code ifMalformed}. */
    String query(String name, OciError ifMalformed) {
        try {
            return ex.query(name);
        } catch (MalformedQueryException e) {
            throw new OciProblem(ifMalformed, e.getMessage(), name);
        }
    }

    String repoPath() {
        return "/v2/" + repo.name().value();
    }
}
