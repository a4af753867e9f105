package io.wharf.core.lifecycle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.wharf.core.model.JsonSyntax;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The lifecycle policy grammar: JSON text to rules, checking the shape of each object (fields, types,
 * vocabulary). The rules that relate one field to another, or one rule to another, are in
 * {@link RuleConstraints}; this class only needs to know which optional fields were present.
 */
final class LifecyclePolicyParser {

    private static final Set<String> POLICY_FIELDS = Set.of("rules");
    private static final Set<String> RULE_FIELDS = Set.of("rulePriority", "description", "selection", "action");
    private static final Set<String> SELECTION_FIELDS = Set.of("tagStatus", "tagPatternList", "tagPrefixList",
            "storageClass", "countType", "countUnit", "countNumber");
    private static final Set<String> ACTION_FIELDS = Set.of("type", "targetStorageClass");
    private static final String DAYS = "days";

    // A second "countNumber" in one object is refused rather than silently "last one wins": what the user
    // reads and what would be evaluated must be the same policy.
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private LifecyclePolicyParser() {}

    /** The rules of {@code json}, validated one by one and against each other, in the order written. */
    static List<Rule> parse(String json) {
        JsonNode root = read(json);
        if (!root.isObject()) {
            throw new LifecyclePolicyException("the policy must be a JSON object, not " + JsonFields.describe(root));
        }
        JsonFields policy = new JsonFields(root, "policy", "").allowOnly(POLICY_FIELDS);
        if (!policy.has("rules")) {
            throw policy.fail("missing required field \"rules\"");
        }
        List<Rule> rules = new ArrayList<>();
        for (JsonNode node : ruleNodes(root.get("rules"))) {
            rules.add(rule(node, rules.size()));
        }
        RuleConstraints.checkAcrossRules(rules);
        return rules;
    }

    private static JsonNode read(String json) {
        if (json == null || json.isBlank()) {
            throw new LifecyclePolicyException("the policy text is empty");
        }
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new LifecyclePolicyException("the policy is not valid JSON " + JsonSyntax.describe(e), e);
        }
    }

    private static List<JsonNode> ruleNodes(JsonNode rules) {
        if (!rules.isArray()) {
            throw new LifecyclePolicyException("policy: rules must be an array of rules, not " + JsonFields.describe(rules));
        }
        if (rules.isEmpty()) {
            throw new LifecyclePolicyException("policy: rules must hold at least one rule");
        }
        if (rules.size() > LifecyclePolicy.MAX_RULES) {
            throw new LifecyclePolicyException("policy: a policy may hold at most " + LifecyclePolicy.MAX_RULES
                    + " rules, not " + rules.size());
        }
        List<JsonNode> nodes = new ArrayList<>();
        rules.forEach(nodes::add);
        return nodes;
    }

    private static Rule rule(JsonNode node, int index) {
        String position = "rules[" + index + "]";
        if (!node.isObject()) {
            throw new LifecyclePolicyException(position + ": a rule must be a JSON object, not " + JsonFields.describe(node));
        }
        // The priority is read first so that every later message can name the rule the way users know it.
        int priority = new JsonFields(node, position, "").integer("rulePriority", 1);
        String where = "rule with priority " + priority;
        JsonFields rule = new JsonFields(node, where, "").allowOnly(RULE_FIELDS);
        String description = rule.optionalText("description");
        Selection selection = selection(rule.object("selection"), where);
        Action action = action(rule.object("action"));
        RuleConstraints.checkRule(where, selection, action);
        return new Rule(priority, description, selection, action);
    }

    private static Selection selection(JsonFields s, String where) {
        s.allowOnly(SELECTION_FIELDS);
        TagStatus tagStatus = s.word("tagStatus", TagStatus.values());
        List<String> patterns = s.optionalStrings("tagPatternList");
        List<String> prefixes = s.optionalStrings("tagPrefixList");
        RuleConstraints.checkTagLists(where, tagStatus, patterns, prefixes);
        StorageClass storageClass = s.optionalWord("storageClass", StorageClass.values());
        CountType countType = s.word("countType", CountType.values());
        Integer unitDays = countUnitDays(s, countType);
        int countNumber = s.integer("countNumber", 1);
        RuleConstraints.checkStorageClass(where, storageClass, countType, countNumber);
        return new Selection(tagStatus, patterns, prefixes, storageClass, countType, unitDays, countNumber);
    }

    /** {@code countUnit} is required with, and allowed only with, the age count types; "days" is the only unit. */
    private static Integer countUnitDays(JsonFields s, CountType countType) {
        String unit = s.optionalText("countUnit");
        if (!countType.isAge()) {
            if (unit != null) {
                throw s.fail("selection.countUnit is not allowed with countType \"" + countType.json()
                        + "\" (it counts images, not days)");
            }
            return null;
        }
        if (unit == null) {
            throw s.fail("countType \"" + countType.json() + "\" requires selection.countUnit \"days\"");
        }
        if (!unit.equals(DAYS)) {
            throw s.fail("selection.countUnit must be \"days\" (lower-case), not \"" + unit + "\"");
        }
        return 1;
    }

    private static Action action(JsonFields a) {
        a.allowOnly(ACTION_FIELDS);
        ActionType type = a.word("type", ActionType.values());
        StorageClass target = a.optionalWord("targetStorageClass", StorageClass.values());
        if (type == ActionType.EXPIRE && a.has("targetStorageClass")) {
            throw a.fail("action.targetStorageClass is only allowed with action type \"transition\"");
        }
        if (type == ActionType.TRANSITION && target == null) {
            throw a.fail("action type \"transition\" requires targetStorageClass \"archive\"");
        }
        if (target == StorageClass.STANDARD) {
            throw a.fail("action.targetStorageClass must be \"archive\", the only class a rule can move images to,"
                    + " not \"standard\"");
        }
        return new Action(type, target);
    }
}
