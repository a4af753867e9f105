package io.wharf.server.ecr;

/**
 * Implemented by every request record; records with a {@code registryId} component override it.
 * {@link Repo} marks requests that name one repository, whose ARN is then the authorized resource.
 */
interface EcrRequest {
    default String registryId() {
        return null;
    }

    interface Repo extends EcrRequest {
        String repositoryName();
    }
}
