package io.wharf.core.iam;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.wharf.core.model.JsonSyntax;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** The IAM policy grammar: JSON text to {@link PolicyDocument}, or a {@link PolicySyntaxException} naming the fault. */
final class PolicyParser {

    static final String VERSION_2012 = "2012-10-17";
    private static final Set<String> VERSIONS = Set.of(VERSION_2012, "2008-10-17");
    private static final Set<String> DOCUMENT_KEYS = Set.of("Version", "Id", "Statement");
    private static final Set<String> STATEMENT_KEYS = Set.of("Sid", "Effect", "Principal", "NotPrincipal",
            "Action", "NotAction", "Resource", "NotResource", "Condition");
    // No wildcard in the service prefix: IAM refuses "ec*:Get*".
    private static final Pattern ACTION = Pattern.compile("\\*|[A-Za-z0-9-]+:[A-Za-z0-9*?]+");

    // Duplicate keys are rejected rather than silently "last one wins": a second "Effect" is an attack vector.
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private PolicyParser() {}

    static PolicyDocument parse(String json) {
        JsonNode root = read(json);
        if (!root.isObject()) {
            throw new PolicySyntaxException("Policy document must be a JSON object");
        }
        checkKeys(root, DOCUMENT_KEYS, "Policy");
        String version = optionalText(root, "Version", "Policy");
        if (version != null && !VERSIONS.contains(version)) {
            throw new PolicySyntaxException("Policy Version must be \"2012-10-17\" or \"2008-10-17\", not \"" + version + "\"");
        }
        String id = optionalText(root, "Id", "Policy");
        boolean variables = VERSION_2012.equals(version); // older or absent Version: "${...}" is literal text
        List<JsonNode> nodes = statementNodes(root.get("Statement"));
        List<Statement> statements = new ArrayList<>();
        Set<String> sids = new HashSet<>();
        for (int i = 0; i < nodes.size(); i++) {
            Statement s = statement(nodes.get(i), "Statement[" + i + "]", variables);
            if (s.sid() != null && !s.sid().isEmpty() && !sids.add(s.sid())) {
                throw new PolicySyntaxException("Statement[" + i + "]: duplicate Sid \"" + s.sid() + "\"; statement ids must be unique");
            }
            statements.add(s);
        }
        return new PolicyDocument(json, version, id, statements);
    }

    private static JsonNode read(String json) {
        if (json == null || json.isBlank()) {
            throw new PolicySyntaxException("Policy document is empty");
        }
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new PolicySyntaxException("Policy is not valid JSON " + JsonSyntax.describe(e), e);
        }
    }

    private static List<JsonNode> statementNodes(JsonNode node) {
        if (node == null) {
            throw new PolicySyntaxException("Policy has no Statement");
        }
        if (node.isObject()) {
            return List.of(node);
        }
        if (!node.isArray()) {
            throw new PolicySyntaxException("Policy Statement must be an object or an array of objects");
        }
        if (node.isEmpty()) {
            throw new PolicySyntaxException("Policy Statement must not be empty");
        }
        List<JsonNode> nodes = new ArrayList<>();
        node.forEach(nodes::add);
        return nodes;
    }

    private static Statement statement(JsonNode node, String index, boolean variables) {
        if (!node.isObject()) {
            throw new PolicySyntaxException(index + ": a statement must be a JSON object, not " + describe(node));
        }
        String sid = optionalText(node, "Sid", index);
        String where = sid == null || sid.isEmpty() ? index : index + " (Sid \"" + sid + "\")";
        checkKeys(node, STATEMENT_KEYS, where);
        Statement.Effect effect = effect(node.get("Effect"), where);
        String principalKey = oneOf(node, "Principal", "NotPrincipal", where, false);
        PrincipalSet principal = principalKey == null ? null : PrincipalSet.parse(node.get(principalKey), where + " " + principalKey);
        String actionKey = oneOf(node, "Action", "NotAction", where, true);
        List<MatchPattern> actions = strings(node.get(actionKey), where, actionKey).stream()
                .map(a -> action(a, where + " " + actionKey)).toList();
        String resourceKey = oneOf(node, "Resource", "NotResource", where, false);
        List<MatchPattern> resources = resourceKey == null ? null : strings(node.get(resourceKey), where, resourceKey).stream()
                .map(r -> resource(r, where + " " + resourceKey, variables)).toList();
        List<Condition> conditions = node.has("Condition")
                ? Condition.parseBlock(node.get("Condition"), where, variables) : List.of();
        return new Statement(sid, effect, principal, "NotPrincipal".equals(principalKey), actions, "NotAction".equals(actionKey),
                resources, "NotResource".equals(resourceKey), conditions);
    }

    private static Statement.Effect effect(JsonNode node, String where) {
        if (node == null) {
            throw new PolicySyntaxException(where + ": Effect is required");
        }
        // IAM is case-sensitive here: "allow" is an error, not an Allow.
        if (node.isTextual() && (node.textValue().equals("Allow") || node.textValue().equals("Deny"))) {
            return Statement.Effect.valueOf(node.textValue().toUpperCase(Locale.ROOT));
        }
        throw new PolicySyntaxException(where + ": Effect must be \"Allow\" or \"Deny\", not " + node);
    }

    /** The one of two mutually exclusive elements present (null if neither and not required). */
    private static String oneOf(JsonNode node, String positive, String negative, String where, boolean required) {
        boolean p = node.has(positive);
        boolean n = node.has(negative);
        if (p && n) {
            throw new PolicySyntaxException(where + ": use " + positive + " or " + negative + ", not both");
        }
        if (!p && !n && required) {
            throw new PolicySyntaxException(where + ": " + positive + " or " + negative + " is required");
        }
        return p ? positive : n ? negative : null;
    }

    private static MatchPattern action(String action, String where) {
        if (!ACTION.matcher(action).matches()) {
            throw new PolicySyntaxException(where + ": \"" + action + "\" must be \"*\" or \"<service>:<action>\", e.g. \"ecr:BatchGetImage\"");
        }
        return new MatchPattern(action, MatchPattern.Mode.GLOB, true, false); // IAM action names are case-insensitive
    }

    private static MatchPattern resource(String resource, String where, boolean variables) {
        if (!resource.equals("*") && !resource.startsWith("arn:")) {
            throw new PolicySyntaxException(where + ": \"" + resource + "\" must be \"*\" or an ARN such as "
                    + "arn:aws:ecr:us-east-1:123456789012:repository/team/app");
        }
        return new MatchPattern(resource, MatchPattern.Mode.ARN, false, variables);
    }

    /** A string or a non-empty array of non-empty strings (Action, Resource, principal lists). */
    static List<String> strings(JsonNode node, String where, String element) {
        List<String> values = new ArrayList<>();
        for (JsonNode item : items(node, where + ": " + element)) {
            if (!item.isTextual() || item.textValue().isEmpty()) {
                throw new PolicySyntaxException(where + ": " + element + " must hold non-empty strings, not " + describe(item));
            }
            values.add(item.textValue());
        }
        return values;
    }

    /** Condition values: a string, number or boolean, or a non-empty array of them. */
    static List<String> scalars(JsonNode node, String where) {
        List<String> values = new ArrayList<>();
        for (JsonNode item : items(node, where)) {
            if (!item.isValueNode() || item.isNull()) {
                throw new PolicySyntaxException(where + ": condition values must be strings, numbers or booleans, not " + describe(item));
            }
            values.add(item.asText());
        }
        return values;
    }

    private static List<JsonNode> items(JsonNode node, String where) {
        if (!node.isArray()) {
            return List.of(node);
        }
        if (node.isEmpty()) {
            throw new PolicySyntaxException(where + " must not be an empty list");
        }
        List<JsonNode> items = new ArrayList<>();
        node.forEach(items::add);
        return items;
    }

    private static String optionalText(JsonNode node, String key, String where) {
        JsonNode value = node.get(key);
        if (value == null) {
            return null;
        }
        if (!value.isTextual()) {
            throw new PolicySyntaxException(where + ": " + key + " must be a string, not " + describe(value));
        }
        return value.textValue();
    }

    private static void checkKeys(JsonNode node, Set<String> allowed, String where) {
        for (String key : (Iterable<String>) node::fieldNames) {
            if (!allowed.contains(key)) {
                throw new PolicySyntaxException(where + ": unknown element \"" + key + "\" (allowed: " + String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
        }
    }

    private static String describe(JsonNode node) {
        String text = node.toString();
        String shown = text.length() > 60 ? text.substring(0, 57) + "..." : text;
        return node.getNodeType().name().toLowerCase(Locale.ROOT) + " " + shown;
    }
}
