package io.wharf.core.spi;

import io.wharf.core.audit.AuditQuery;
import io.wharf.core.audit.AuditRecord;
import java.time.Instant;
import java.util.List;

/**
 * The audit trail's records (docs/audit.md): append-only but for retention. Each node appends its own records; the
 * ids are random, so nodes sharing a database never collide.
 */
public interface AuditIndex {

    /** Appends {@code records} in one transaction; a record whose id is already stored is skipped. */
    void appendAudit(List<AuditRecord> records);

    /** The records matching {@code query}, newest first (by time, then id, descending), at most its limit. */
    List<AuditRecord> findAudit(AuditQuery query);

    /** Deletes up to {@code limit} records older than {@code cutoff}, oldest first; how many it deleted. */
    int deleteAuditBefore(Instant cutoff, int limit);
}
