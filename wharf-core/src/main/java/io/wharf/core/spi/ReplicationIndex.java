package io.wharf.core.spi;

/** Replication work per image and destination: status, attempts, leases, backfills (issue 12 skeleton: methods to be added by its owner). */
public interface ReplicationIndex {
}
