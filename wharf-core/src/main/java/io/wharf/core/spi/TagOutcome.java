package io.wharf.core.spi;

/** What a manifest put did to its tag. {@link #REFUSED} means nothing at all was written. */
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
    REFUSED
}
