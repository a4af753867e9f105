package io.wharf.core.spi;

/** What a manifest put did to its tag. {@link #REFUSED} and {@link #REPOSITORY_UNKNOWN} mean nothing at all was written. */
public enum TagOutcome {
    /** The put had no tag. */
    NONE,
    /** The tag did not exist. */
    CREATED,
    /** The tag already pointed at this manifest. */
    UNCHANGED,
    /** The tag pointed at another manifest and now points here. */
    MOVED,
    /** The tag points at another manifest and was not allowed to move. */
    REFUSED,
    /** The repository no longer exists (deleted while the manifest was checked). */
    REPOSITORY_UNKNOWN
}
