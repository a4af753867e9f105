package io.wharf.core.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.core.lifecycle.ActionType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The result of a lifecycle policy preview, kept in the metadata database (so it outlives a restart and any node
 * can answer for it): the policy evaluated, when, and every image it would act on, oldest first.
 * A preview is computed when it is started, so its status is always complete.
 */
public record LifecyclePreview(String policyText, Instant evaluatedAt, List<Result> results) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public LifecyclePreview {
        results = List.copyOf(results);
    }

    /** One image the policy acts on, with the rule that owns it and the action. */
    public record Result(String digest, List<String> tags, Instant pushedAt, int rulePriority, ActionType action) {
        public Result {
            tags = List.copyOf(tags);
        }
    }

    /** How many results have this action. */
    public long count(ActionType action) {
        return results.stream().filter(r -> r.action() == action).count();
    }

    String toJson() {
        ObjectNode root = JSON.createObjectNode().put("policy", policyText).put("evaluatedAt", evaluatedAt.toEpochMilli());
        ArrayNode list = root.putArray("results");
        for (Result r : results) {
            ObjectNode n = list.addObject().put("digest", r.digest()).put("pushedAt", r.pushedAt().toEpochMilli())
                    .put("rule", r.rulePriority()).put("action", r.action().name());
            r.tags().forEach(n.putArray("tags")::add);
        }
        return root.toString();
    }

    static LifecyclePreview fromJson(String text) {
        try {
            JsonNode root = JSON.readTree(text);
            List<Result> results = new ArrayList<>();
            for (JsonNode n : root.get("results")) {
                List<String> tags = new ArrayList<>();
                n.path("tags").forEach(t -> tags.add(t.asText()));
                results.add(new Result(n.get("digest").asText(), tags, Instant.ofEpochMilli(n.get("pushedAt").asLong()),
                        n.get("rule").asInt(), ActionType.valueOf(n.get("action").asText())));
            }
            return new LifecyclePreview(root.get("policy").asText(), Instant.ofEpochMilli(root.get("evaluatedAt").asLong()),
                    results);
        } catch (IOException e) {
            throw new UncheckedIOException("stored lifecycle preview is not readable", e);
        }
    }
}
