package io.wharf.server.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.core.audit.AuditJson;
import io.wharf.core.audit.AuditQuery;
import io.wharf.core.audit.AuditRecord;
import java.time.Instant;

/**
 * CloudTrail's LookupEvents request and answer over an {@link AuditLookup}. Lookup attributes: {@code EventName},
 * {@code Username} ({@code root} for the account's root), {@code ResourceName} (a repository's name or ARN),
 * {@code AccessKeyId}, {@code ReadOnly}, {@code EventId}; one at most, as in CloudTrail. {@code MaxResults} 1–50.
 */
final class LookupEvents {
    static final int MAX_RESULTS = 50;
    private static final String INVALID_ATTRIBUTES = "InvalidLookupAttributesException";

    private final AuditLookup lookup;

    LookupEvents(AuditLookup lookup) {
        this.lookup = lookup;
    }

    String run(String account, JsonNode req) {
        Request r = request(account, req);
        return answer(lookup.page(r.query(), r.nextToken()));
    }

    /** A LookupEvents request as read from its body: the query and the page token (null: the first page). */
    record Request(AuditQuery query, String nextToken) {
    }

    /** Reads the body's members; {@link AuditLookup.InvalidInput} names what is wrong. */
    static Request request(String account, JsonNode req) {
        int max = req.has("MaxResults") ? req.get("MaxResults").asInt(-1) : MAX_RESULTS;
        if (max < 1 || max > MAX_RESULTS) {
            throw new AuditLookup.InvalidInput("InvalidMaxResultsException", "MaxResults must be 1 to " + MAX_RESULTS);
        }
        Instant start = time(req, "StartTime");
        Instant end = time(req, "EndTime");
        if (start != null && end != null && start.isAfter(end)) {
            throw new AuditLookup.InvalidInput("InvalidTimeRangeException", "StartTime is after EndTime");
        }
        AuditQuery query = attribute(new AuditQuery(account, start, end == null ? null : end.plusMillis(1), null, null,
                null, null, null, null, null, max), account, req.path("LookupAttributes"));
        String token = req.hasNonNull("NextToken") ? req.get("NextToken").asText() : null;
        return new Request(query, token);
    }

    private static Instant time(JsonNode req, String field) {
        JsonNode v = req.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isNumber()) {
            throw new AuditLookup.InvalidInput("InvalidTimeRangeException", field + " must be a timestamp");
        }
        return Instant.ofEpochMilli(Math.round(v.asDouble() * 1000));
    }

    private static AuditQuery attribute(AuditQuery q, String account, JsonNode attributes) {
        if (attributes.isMissingNode() || attributes.isNull() || attributes.isEmpty()) {
            return q;
        }
        if (!attributes.isArray() || attributes.size() > 1) {
            throw new AuditLookup.InvalidInput(INVALID_ATTRIBUTES, "LookupAttributes may hold one attribute");
        }
        String key = attributes.get(0).path("AttributeKey").asText("");
        String value = attributes.get(0).path("AttributeValue").asText("");
        if (value.isEmpty()) {
            throw new AuditLookup.InvalidInput(INVALID_ATTRIBUTES, "AttributeValue is required");
        }
        return switch (key) {
            case "EventName" -> with(q, value, null, null, null, null, null);
            case "Username" -> with(q, null, value.equals("root") ? account : value, null, null, null, null);
            case "ResourceName" -> with(q, null, null, repository(value), null, null, null);
            case "AccessKeyId" -> with(q, null, null, null, value, null, null);
            case "ReadOnly" -> with(q, null, null, null, null, Boolean.parseBoolean(value), null);
            case "EventId" -> with(q, null, null, null, null, null, value);
            default -> throw new AuditLookup.InvalidInput(INVALID_ATTRIBUTES, "AttributeKey " + key
                    + " is not supported (Wharf: EventName, Username, ResourceName, AccessKeyId, ReadOnly, EventId)");
        };
    }

    private static AuditQuery with(AuditQuery q, String eventName, String principal, String repository,
                                   String accessKeyId, Boolean readOnly, String eventId) {
        return new AuditQuery(q.account(), q.start(), q.end(), eventName, principal, repository, accessKeyId, readOnly,
                eventId, null, q.limit());
    }

    /** A repository's name, from its ARN ({@code arn:aws:ecr:…:repository/<name>}) or as given. */
    private static String repository(String value) {
        int at = value.indexOf(":repository/");
        return value.startsWith("arn:") && at >= 0 ? value.substring(at + ":repository/".length()) : value;
    }

    private static String answer(AuditLookup.Page page) {
        ObjectNode body = CloudTrailHandler.JSON.createObjectNode();
        ArrayNode events = body.putArray("Events");
        for (AuditRecord r : page.records()) {
            ObjectNode e = events.addObject().put("EventId", r.eventId()).put("EventName", r.eventName())
                    .put("ReadOnly", Boolean.toString(r.readOnly())).put("AccessKeyId", r.identity().accessKeyId())
                    .put("EventTime", r.eventTime().toEpochMilli() / 1000.0).put("EventSource", r.eventSource())
                    .put("Username", username(r));
            ArrayNode resources = e.putArray("Resources");
            if (r.repository() != null) {
                resources.addObject().put("ResourceType", "AWS::ECR::Repository").put("ResourceName", r.repository());
            }
            e.put("CloudTrailEvent", AuditJson.toJson(r));
        }
        if (page.nextToken() != null) {
            body.put("NextToken", page.nextToken());
        }
        return body.toString();
    }

    private static String username(AuditRecord r) {
        return "Root".equals(r.identity().type()) ? "root" : r.identity().userName();
    }
}
