package io.wharf.server.oci;

import io.wharf.core.service.RepoKey;
import io.wharf.server.http.Exchange;
import io.wharf.server.http.MalformedQueryException;

/** A routed OCI request: the exchange, its repository (null for /v2/ and _catalog) and the path's reference. */
record OciCall(Exchange ex, RepoKey repo, String reference, String account) {

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
