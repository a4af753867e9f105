package io.wharf.core.secret;

/** The credentials a pull-through cache rule logs into its upstream with (ECR's secret JSON: username, accessToken). */
public record UpstreamSecret(String username, String accessToken) {
    @Override
    public String toString() {
        return "UpstreamSecret[" + username + ", ****]";
    }
}
