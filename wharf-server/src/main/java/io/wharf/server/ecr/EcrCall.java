package io.wharf.server.ecr;

import io.wharf.core.iam.Principal;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.service.RepoKey;
import io.wharf.server.auth.EcrArns;

/**
 * One authorized ECR operation: who calls, which registry (account) it acts on, the repository
 * when the operation names one, and how the request reached us (for URIs and endpoints, which
 * point at the clone's own host rather than at amazonaws.com).
 *
 * @param endpoint {@code scheme://host[:port]} as the client addressed us
 */
record EcrCall(Principal principal, String account, RepoKey repo, String region, String endpoint, String host) {

    String repositoryArn(RepositoryName name) {
        return EcrArns.repository(region, account, name.value());
    }

    /** ECR Public's: {@code arn:aws:ecr-public::<account>:repository/<name>} (no region). */
    String publicRepositoryArn(RepositoryName name) {
        return EcrArns.publicRepository(account, name.value());
    }

    String repositoryUri(RepositoryName name) {
        return host + "/" + name;
    }

    RepoKey key(RepositoryName name) {
        return new RepoKey(account, name);
    }
}
