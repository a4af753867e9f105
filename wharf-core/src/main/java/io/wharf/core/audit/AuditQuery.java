package io.wharf.core.audit;

import java.time.Instant;

/**
 * What to look up in the audit trail, newest first. Every filter may be null (no filter).
 *
 * @param account     records of this account (recipientAccountId) only
 * @param start       records at or after this time
 * @param end         records before this time (exclusive)
 * @param principal   an IAM ARN, or a user name (matches the ARN's user name), or an account root's account id
 * @param after       a page's continuation: records older than this one (in the newest-first order)
 * @param limit       at most this many
 */
public record AuditQuery(String account, Instant start, Instant end, String eventName, String principal, String repository,
                         String accessKeyId, Boolean readOnly, String eventId, Cursor after, int limit) {

    public AuditQuery {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive");
        }
    }

    /** No filter: the newest {@code limit} records. */
    public static AuditQuery newest(int limit) {
        return new AuditQuery(null, null, null, null, null, null, null, null, null, null, limit);
    }

    public AuditQuery withAfter(Cursor cursor) {
        return new AuditQuery(account, start, end, eventName, principal, repository, accessKeyId, readOnly, eventId, cursor, limit);
    }

    /** A position in the newest-first order: the last record of a page. */
    public record Cursor(Instant eventTime, String eventId) {
        public static Cursor of(AuditRecord last) {
            return new Cursor(last.eventTime(), last.eventId());
        }
    }

    /** Whether {@code r} passes every filter (the in-memory store's and the tests' reference). */
    public boolean matches(AuditRecord r) {
        return (account == null || account.equals(r.account()))
                && (start == null || !r.eventTime().isBefore(start))
                && (end == null || r.eventTime().isBefore(end))
                && (eventName == null || eventName.equals(r.eventName()))
                && (principal == null || principal.equals(r.identity().arn()) || principal.equals(r.identity().userName())
                    || (principal.equals(r.identity().accountId()) && "Root".equals(r.identity().type())))
                && (repository == null || repository.equals(r.repository()))
                && (accessKeyId == null || accessKeyId.equals(r.identity().accessKeyId()))
                && (readOnly == null || readOnly == r.readOnly())
                && (eventId == null || eventId.equals(r.eventId()))
                && (after == null || olderThan(r, after));
    }

    private static boolean olderThan(AuditRecord r, Cursor c) {
        int byTime = r.eventTime().compareTo(c.eventTime());
        return byTime < 0 || (byTime == 0 && r.eventId().compareTo(c.eventId()) < 0);
    }
}
