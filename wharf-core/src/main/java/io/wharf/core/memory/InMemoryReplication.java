package io.wharf.core.memory;

import io.wharf.core.spi.ReplicationIndex;

/** {@link ReplicationIndex} in memory. */
final class InMemoryReplication implements ReplicationIndex {
}
