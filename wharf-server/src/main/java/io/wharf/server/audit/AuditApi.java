package io.wharf.server.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.core.audit.AuditJson;
import io.wharf.core.audit.AuditQuery;
import io.wharf.core.audit.AuditRecord;
import io.wharf.core.spi.AuditIndex;
import io.wharf.server.http.Exchange;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * {@code GET /wharf/v1/audit/events?startTime&endTime&eventName&principal&repository&maxResults&nextToken}: the
 * caller's account's audit records, newest first, as CloudTrail records ({@code {"events":[…],"nextToken":…}}).
 * Times are ISO-8601 instants or epoch seconds. Authorized as {@value AuditLookup#ACTION} on {@code *}.
 */
public final class AuditApi {
    public static final String PATH = "audit/events";
    static final int MAX_RESULTS = 1000;
    static final int DEFAULT_RESULTS = 50;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AuditLookup lookup;

    public AuditApi(AuditIndex index) {
        this.lookup = new AuditLookup(index);
    }

    public static boolean isPath(String path) {
        return path.equals(PATH);
    }

    /** The page as JSON; {@link AuditLookup.InvalidInput} for a bad parameter. */
    public String events(Exchange ex, String account) {
        AuditQuery query = new AuditQuery(account, time(ex, "startTime"), time(ex, "endTime"), ex.query("eventName"),
                ex.query("principal"), ex.query("repository"), null, null, null, null, maxResults(ex.query("maxResults")));
        AuditLookup.Page page = lookup.page(query, ex.query("nextToken"));
        ObjectNode body = JSON.createObjectNode();
        ArrayNode events = body.putArray("events");
        for (AuditRecord r : page.records()) {
            events.add(AuditJson.toTree(r));
        }
        if (page.nextToken() != null) {
            body.put("nextToken", page.nextToken());
        }
        return body.toString();
    }

    static Instant time(Exchange ex, String name) {
        String v = ex.query(name);
        if (v == null || v.isEmpty()) {
            return null;
        }
        try {
            return v.matches("[0-9]{1,12}") ? Instant.ofEpochSecond(Long.parseLong(v)) : Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw new AuditLookup.InvalidInput("InvalidTimeRangeException",
                    name + " must be an ISO-8601 instant (2026-01-31T12:00:00Z) or epoch seconds");
        }
    }

    static int maxResults(String v) {
        if (v == null) {
            return DEFAULT_RESULTS;
        }
        if (!v.matches("[0-9]{1,5}") || Integer.parseInt(v) < 1 || Integer.parseInt(v) > MAX_RESULTS) {
            throw new AuditLookup.InvalidInput("InvalidMaxResultsException", "maxResults must be 1 to " + MAX_RESULTS);
        }
        return Integer.parseInt(v);
    }
}
