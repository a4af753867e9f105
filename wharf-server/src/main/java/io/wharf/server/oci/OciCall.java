package io.wharf.server.oci;

import io.wharf.core.iam.Principal;
import io.wharf.core.service.RepoKey;
import io.wharf.server.http.Exchange;

/**
 * A routed OCI request: the exchange, the authenticated caller, its repository (null for /v2/ and
 * _catalog) and the path's reference.
 */
record OciCall(Exchange ex, Principal principal, RepoKey repo, String reference, String account) {

    String repoPath() {
        return "/v2/" + repo.name().value();
    }
}
