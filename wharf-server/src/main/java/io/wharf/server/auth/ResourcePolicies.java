package io.wharf.server.auth;

import io.wharf.core.iam.PolicyDocument;

/** The resource-side policies authorization consults: repository policies and registry policies. */
public interface ResourcePolicies {
    /** No resource policies at all: only identity policies (and the root's own rights) decide. */
    ResourcePolicies NONE = new ResourcePolicies() {
        @Override
        public PolicyDocument repositoryPolicy(String account, String repositoryName) {
            return null;
        }

        @Override
        public PolicyDocument registryPolicy(String account) {
            return null;
        }
    };

    /** The policy of that repository, or null when it has none or does not exist. */
    PolicyDocument repositoryPolicy(String account, String repositoryName);

    /** The registry policy of that account, or null. */
    PolicyDocument registryPolicy(String account);
}
