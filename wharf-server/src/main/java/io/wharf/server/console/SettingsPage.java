package io.wharf.server.console;

import java.util.List;

/**
 * The registry's settings, read-only: scanning, replication, pull-through cache rules, repository creation
 * templates and the registry policy. Each section is shown only when the caller may read it with the ECR API.
 */
public record SettingsPage(Frame frame, Section<Scanning> scanning, Section<List<ReplicationRule>> replication,
                           Section<List<PullThroughRule>> pullThrough, Section<List<Template>> templates,
                           Section<String> registryPolicy) {

    /**
     * One section: its content, or why it is not shown.
     *
     * @param value   null when {@code refusal} is set, or when there is nothing (no registry policy)
     * @param refusal the IAM action the caller lacks, or why the feature is off; null: shown
     */
    public record Section<T>(T value, String refusal) {
        public boolean shown() {
            return refusal == null;
        }
    }

    public record Scanning(String scanType, List<ScanRule> rules) {
    }

    public record ScanRule(String frequency, List<String> filters) {
    }

    public record ReplicationRule(List<String> destinations, List<String> filters) {
    }

    public record PullThroughRule(String prefix, String upstreamUrl, String upstreamRegistry, String upstreamPrefix,
                                  String credentialArn, String updated) {
    }

    /** A repository creation template; the policies as whether it sets them. */
    public record Template(String prefix, String description, List<String> appliedFor, String tagMutability,
                           String encryption, boolean repositoryPolicy, boolean lifecyclePolicy, String updated) {
    }
}
