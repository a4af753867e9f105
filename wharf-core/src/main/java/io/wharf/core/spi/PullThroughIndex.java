package io.wharf.core.spi;

/** Pull-through cache rules and what was cached from the upstreams (tag freshness) (issue 12 skeleton: methods to be added by its owner). */
public interface PullThroughIndex {
}
