package io.wharf.scan.vuln;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.wharf.core.spi.AdvisoryIndex.AdvisoryKey;
import io.wharf.core.spi.AdvisoryIndex.StoredAdvisory;
import io.wharf.scan.vuln.Advisory.Affected;
import io.wharf.scan.vuln.Advisory.Event;
import io.wharf.scan.vuln.Advisory.Range;
import io.wharf.scan.vuln.Advisory.Reference;
import io.wharf.scan.vuln.Advisory.Score;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * OSV records (schema 1.x) to {@link Advisory}, and advisories to and from the stored document. Lenient where the
 * schema allows variety (missing fields, unknown event kinds are dropped), strict where matching depends on it
 * (an affected entry needs an ecosystem and a name; a record needs an id).
 */
public final class OsvRecords {
    /** Stored details are cut to this many characters: findings show a description, not a whole write-up. */
    public static final int MAX_DETAILS = 4096;
    static final int MAX_LIST = 1000;
    static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    static {
        JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(64).maxStringLength(4 * 1024 * 1024).maxNumberLength(100).build());
    }

    private OsvRecords() {
    }

    /** The record as an advisory, or null when it cannot be one (no id, nothing affected that we can key). */
    public static Advisory parse(JsonNode record) {
        String id = text(record, "id");
        if (id == null || id.isBlank() || id.length() > 200) {
            return null;
        }
        List<Affected> affected = new ArrayList<>();
        for (JsonNode a : limited(record.path("affected"))) {
            Affected one = affected(a);
            if (one != null) {
                affected.add(one);
            }
        }
        return new Advisory(id.strip(), strings(record.path("aliases")), related(record), text(record, "summary"),
                cap(text(record, "details")), scores(record.path("severity")),
                text(record.path("database_specific"), "severity"), affected, references(record.path("references")),
                text(record, "published"), text(record, "modified"));
    }

    /** Whether the record says it was withdrawn. */
    public static boolean withdrawn(JsonNode record) {
        String w = text(record, "withdrawn");
        return w != null && !w.isBlank();
    }

    private static List<String> related(JsonNode record) {
        Set<String> out = new LinkedHashSet<>(strings(record.path("related")));
        out.addAll(strings(record.path("upstream")));
        return List.copyOf(out);
    }

    private static Affected affected(JsonNode a) {
        String ecosystem = text(a.path("package"), "ecosystem");
        String name = text(a.path("package"), "name");
        if (ecosystem == null || name == null || ecosystem.isBlank() || name.isBlank()) {
            return null;
        }
        ecosystem = Ecosystems.normalizeEcosystem(ecosystem);
        List<Range> ranges = new ArrayList<>();
        for (JsonNode r : limited(a.path("ranges"))) {
            String type = text(r, "type");
            if ("SEMVER".equals(type) || "ECOSYSTEM".equals(type)) {
                ranges.add(new Range(type, events(r.path("events"))));
            }
        }
        String label = text(a.path("database_specific"), "severity");
        if (label == null) {
            label = text(a.path("ecosystem_specific"), "severity");
        }
        return new Affected(ecosystem, Ecosystems.normalizeName(ecosystem, name), ranges, strings(a.path("versions")),
                scores(a.path("severity")), label);
    }

    private static List<Event> events(JsonNode events) {
        List<Event> out = new ArrayList<>();
        for (JsonNode e : limited(events)) {
            for (String kind : List.of("introduced", "fixed", "last_affected", "limit")) {
                String v = text(e, kind);
                if (v != null && !v.isBlank()) {
                    out.add(new Event(kind, v.strip()));
                }
            }
        }
        return out;
    }

    private static List<Score> scores(JsonNode node) {
        List<Score> out = new ArrayList<>();
        for (JsonNode s : limited(node)) {
            String type = text(s, "type");
            String score = text(s, "score");
            if (type != null && score != null) {
                out.add(new Score(type, score));
            }
        }
        return out;
    }

    private static List<Reference> references(JsonNode node) {
        List<Reference> out = new ArrayList<>();
        for (JsonNode r : limited(node)) {
            String url = text(r, "url");
            if (url != null) {
                out.add(new Reference(text(r, "type"), url));
            }
        }
        return out;
    }

    static List<String> strings(JsonNode node) {
        List<String> out = new ArrayList<>();
        for (JsonNode s : limited(node)) {
            if (s.isTextual() && !s.asText().isBlank()) {
                out.add(s.asText().strip());
            }
        }
        return out;
    }

    /** At most {@link #MAX_LIST} elements of an array (an attacker's list of a million versions is cut). */
    private static List<JsonNode> limited(JsonNode node) {
        List<JsonNode> out = new ArrayList<>();
        if (node.isArray()) {
            for (int i = 0; i < Math.min(node.size(), MAX_LIST); i++) {
                out.add(node.get(i));
            }
        }
        return out;
    }

    static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.isValueNode() && !v.isNull() ? v.asText() : null;
    }

    static String cap(String s) {
        return s == null || s.length() <= MAX_DETAILS ? s : s.substring(0, MAX_DETAILS - 1) + "…";
    }

    /** The advisory as the index stores it: its keys are the (ecosystem, name) of every affected package. */
    public static StoredAdvisory stored(Advisory a) {
        Set<AdvisoryKey> keys = new LinkedHashSet<>();
        for (Affected x : a.affected()) {
            keys.add(new AdvisoryKey(x.ecosystem(), x.name()));
        }
        try {
            return new StoredAdvisory(a.id(), instant(a.modified()), keys, JSON.writeValueAsString(a));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A withdrawal: the index removes the advisory with this id. */
    public static StoredAdvisory withdrawal(String id, String modified) {
        return new StoredAdvisory(id, instant(modified), Set.of(), null);
    }

    /** The stored document back as an advisory, or null when it is not one (a document of an older form). */
    public static Advisory read(String document) {
        try {
            return JSON.readValue(document, Advisory.class);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    static Instant instant(String rfc3339) {
        if (rfc3339 == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(rfc3339.strip()).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
