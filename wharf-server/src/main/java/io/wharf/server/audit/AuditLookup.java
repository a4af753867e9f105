package io.wharf.server.audit;

import io.wharf.core.audit.AuditQuery;
import io.wharf.core.audit.AuditRecord;
import io.wharf.core.spi.AuditIndex;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/**
 * One page of an audit lookup and its continuation token, shared by Wharf's API, CloudTrail's LookupEvents and
 * {@code wharf audit}. The token is the last record's position (time and id): stable while records are appended.
 */
public final class AuditLookup {
    /** The IAM action both query APIs are authorized as, on {@code *}. */
    public static final String ACTION = "cloudtrail:LookupEvents";

    private final AuditIndex index;

    public AuditLookup(AuditIndex index) {
        this.index = index;
    }

    /** A parameter the caller got wrong; each API answers it with its own 400. */
    public static final class InvalidInput extends IllegalArgumentException {
        private final String kind;

        public InvalidInput(String kind, String message) {
            super(message);
            this.kind = kind;
        }

        /** CloudTrail's error type for it ({@code InvalidNextTokenException}…). */
        public String kind() {
            return kind;
        }
    }

    public record Page(List<AuditRecord> records, String nextToken) {
    }

    /** The page after {@code token} (null: the first), with a token when there may be more. */
    public Page page(AuditQuery query, String token) {
        AuditQuery q = token == null ? query : query.withAfter(decode(token));
        List<AuditRecord> records = index.findAudit(q);
        String next = records.size() < q.limit() ? null : encode(AuditQuery.Cursor.of(records.getLast()));
        return new Page(records, next);
    }

    static String encode(AuditQuery.Cursor c) {
        String raw = c.eventTime().toEpochMilli() + ":" + c.eventId();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    static AuditQuery.Cursor decode(String token) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            int colon = raw.indexOf(':');
            return new AuditQuery.Cursor(Instant.ofEpochMilli(Long.parseLong(raw.substring(0, colon))),
                    raw.substring(colon + 1));
        } catch (RuntimeException e) {
            throw new InvalidInput("InvalidNextTokenException", "invalid nextToken");
        }
    }
}
