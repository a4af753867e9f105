package io.wharf.core.memory;

import io.wharf.core.spi.PullThroughIndex;

/** {@link PullThroughIndex} in memory. */
final class InMemoryPullThrough implements PullThroughIndex {
}
