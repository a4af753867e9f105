package io.wharf.core.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.core.audit.AuditRecord.UserIdentity;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** An {@link AuditRecord} as a CloudTrail record (JSON), and back: the stored form and what the APIs return. */
public final class AuditJson {
    /** CloudTrail's record format version these records follow. */
    public static final String EVENT_VERSION = "1.08";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REPOSITORY_ARN = ":repository/";

    private AuditJson() {
    }

    public static String toJson(AuditRecord r) {
        try {
            return JSON.writeValueAsString(toTree(r));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("audit record not serializable: " + r.eventId(), e);
        }
    }

    /** CloudTrail's member order (the time in milliseconds, where CloudTrail has seconds); null members are written as JSON null, as CloudTrail does for its optional ones. */
    public static ObjectNode toTree(AuditRecord r) {
        ObjectNode o = JSON.createObjectNode().put("eventVersion", EVENT_VERSION);
        o.set("userIdentity", identity(r.identity()));
        o.put("eventTime", r.eventTime().toString())
                .put("eventSource", r.eventSource()).put("eventName", r.eventName()).put("awsRegion", r.region())
                .put("sourceIPAddress", r.sourceIp()).put("userAgent", r.userAgent());
        o.set("requestParameters", JSON.valueToTree(r.requestParameters()));
        o.set("responseElements", JSON.valueToTree(r.responseElements()));
        if (r.errorCode() != null) {
            o.put("errorCode", r.errorCode()).put("errorMessage", r.errorMessage());
        }
        o.put("requestID", r.requestId()).put("eventID", r.eventId()).put("readOnly", r.readOnly());
        if (r.repository() != null) {
            o.putArray("resources").addObject().put("accountId", r.account()).put("type", "AWS::ECR::Repository")
                    .put("ARN", "arn:aws:ecr:" + r.region() + ":" + r.account() + REPOSITORY_ARN + r.repository());
        }
        o.put("eventType", "AwsApiCall").put("managementEvent", !r.readOnly() || !isDataRead(r))
                .put("recipientAccountId", r.account()).put("eventCategory", "Management");
        return o;
    }

    private static boolean isDataRead(AuditRecord r) {
        return List.of("BatchGetImage", "GetDownloadUrlForLayer", "BatchCheckLayerAvailability").contains(r.eventName());
    }

    private static ObjectNode identity(UserIdentity u) {
        return JSON.createObjectNode().put("type", u.type()).put("principalId", u.principalId()).put("arn", u.arn())
                .put("accountId", u.accountId()).put("accessKeyId", u.accessKeyId()).put("userName", u.userName());
    }

    public static AuditRecord fromJson(String json) {
        try {
            return fromTree(JSON.readTree(json));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not an audit record", e);
        }
    }

    @SuppressWarnings("unchecked")
    private static AuditRecord fromTree(JsonNode o) {
        JsonNode u = o.path("userIdentity");
        UserIdentity identity = new UserIdentity(u.path("type").asText(), text(u, "principalId"), text(u, "arn"),
                text(u, "accountId"), text(u, "accessKeyId"), text(u, "userName"));
        Instant time = Instant.parse(o.path("eventTime").asText());
        return new AuditRecord(text(o, "eventID"), time, text(o, "eventSource"), text(o, "eventName"),
                text(o, "awsRegion"), text(o, "recipientAccountId"), identity, text(o, "sourceIPAddress"),
                text(o, "userAgent"), repository(o), JSON.convertValue(o.get("requestParameters"), Map.class),
                JSON.convertValue(o.get("responseElements"), Map.class), text(o, "errorCode"), text(o, "errorMessage"),
                text(o, "requestID"), o.path("readOnly").asBoolean());
    }

    private static String repository(JsonNode o) {
        for (JsonNode r : o.path("resources")) {
            String arn = r.path("ARN").asText("");
            int at = arn.indexOf(REPOSITORY_ARN);
            if (at >= 0) {
                return arn.substring(at + REPOSITORY_ARN.length());
            }
        }
        return null;
    }

    private static String text(JsonNode o, String field) {
        JsonNode v = o.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
