package io.wharf.core.memory;

import io.wharf.core.audit.AuditQuery;
import io.wharf.core.audit.AuditRecord;
import io.wharf.core.spi.AuditIndex;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** {@link AuditIndex} in memory: the records in newest-first order. */
final class InMemoryAudit implements AuditIndex {
    static final Comparator<AuditRecord> NEWEST_FIRST = Comparator.comparing(AuditRecord::eventTime)
            .thenComparing(AuditRecord::eventId).reversed();
    private final TreeSet<AuditRecord> records = new TreeSet<>(NEWEST_FIRST);
    private final Set<String> ids = new HashSet<>();

    @Override
    public synchronized void appendAudit(List<AuditRecord> batch) {
        for (AuditRecord r : batch) {
            if (ids.add(r.eventId())) {
                records.add(r);
            }
        }
    }

    @Override
    public synchronized List<AuditRecord> findAudit(AuditQuery query) {
        return records.stream().filter(query::matches).limit(query.limit()).toList();
    }

    @Override
    public synchronized int deleteAuditBefore(Instant cutoff, int limit) {
        int deleted = 0;
        for (Iterator<AuditRecord> it = records.descendingIterator(); it.hasNext() && deleted < limit; ) {
            AuditRecord r = it.next();
            if (!r.eventTime().isBefore(cutoff)) {
                break;
            }
            ids.remove(r.eventId());
            it.remove();
            deleted++;
        }
        return deleted;
    }
}
