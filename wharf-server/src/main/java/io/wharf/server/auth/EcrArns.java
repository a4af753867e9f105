package io.wharf.server.auth;

/** The ECR resource ARNs both APIs authorize against, built in one place so they cannot drift apart. */
public final class EcrArns {
    private EcrArns() {
    }

    /** {@code arn:aws:ecr:<region>:<account>:repository/<name>} */
    public static String repository(String region, String account, String name) {
        return "arn:aws:ecr:" + region + ":" + account + ":repository/" + name;
    }

    /**
     * {@code arn:aws:ecr:<region>:<account>:repository/*}: what ECR authorizes an unfiltered listing
     * (DescribeRepositories, {@code /v2/_catalog}) against, so policies scoped to repository ARNs apply.
     */
    public static String allRepositories(String region, String account) {
        return repository(region, account, "*");
    }

    /**
     * {@code arn:aws:ecr:<region>:<account>:registry}: a registry-level operation's resource when it names another
     * account's registry ({@code registryId}), so that it is authorized as cross-account (identity policies match it
     * through {@code *}, and the registry's owner must grant it too) rather than as {@code *}, which is the caller's own.
     */
    public static String registry(String region, String account) {
        return "arn:aws:ecr:" + region + ":" + account + ":registry";
    }

    /** {@code arn:aws:ecr-public::<account>:repository/<name>}: ECR Public's ARNs carry no region. */
    public static String publicRepository(String account, String name) {
        return "arn:aws:ecr-public::" + account + ":repository/" + name;
    }
}
