package io.wharf.core.template;

/** Why the registry itself creates a repository; a creation template applies to the reasons it names. */
public enum AppliedFor {
    /** An image replicated into this registry names a repository it does not have. */
    REPLICATION,
    /** The first pull through a pull-through cache rule. */
    PULL_THROUGH_CACHE,
    /** A push to a repository that does not exist. */
    CREATE_ON_PUSH
}
