package io.wharf.core.remote;

/** How a remote registry is logged into. */
public sealed interface RemoteCredentials {

    RemoteCredentials ANONYMOUS = new Anonymous();

    /** No credentials: anonymous pulls (a Bearer token service may still hand out an anonymous token). */
    record Anonymous() implements RemoteCredentials {
    }

    /** A user name and password (or access token): Basic, or exchanged at the registry's Bearer token service. */
    record Password(String username, String password) implements RemoteCredentials {
        @Override
        public String toString() {
            return "Password[" + username + ", ****]";
        }
    }

    /**
     * AWS access keys of an ECR-compatible registry (another Wharf, or ECR): an authorization token is bought
     * with a SigV4-signed {@code GetAuthorizationToken} in {@code region}, then sent as Basic {@code AWS:<token>}.
     */
    record AwsKeys(String accessKeyId, String secretAccessKey, String region) implements RemoteCredentials {
        @Override
        public String toString() {
            return "AwsKeys[" + accessKeyId + ", ****, " + region + "]";
        }
    }
}
