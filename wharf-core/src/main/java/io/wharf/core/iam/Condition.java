package io.wharf.core.iam;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * One condition: an operator applied to one key, e.g. {@code "ForAnyValue:StringLikeIfExists":
 * {"aws:ResourceTag/team": ["a*", "b*"]}}. Policy values are ORed; a statement's conditions are ANDed.
 */
record Condition(String operatorName, ConditionOperator operator, Qualifier qualifier, boolean ifExists,
                 String key, List<ConditionOperator.ValueTest> tests) {

    /** The set qualifiers, for keys that can carry several values in one request. */
    enum Qualifier { NONE, FOR_ANY_VALUE, FOR_ALL_VALUES }

    private static final String FOR_ANY = "foranyvalue:";
    private static final String FOR_ALL = "forallvalues:";
    private static final String IF_EXISTS = "ifexists";

    boolean matches(RequestContext ctx) {
        List<String> actual = ctx.values(key);
        if (operator == ConditionOperator.NULL) {
            return anyPolicyValue(String.valueOf(actual.isEmpty()), ctx); // "Null": {"k": "true"} = k is absent
        }
        if (actual.isEmpty()) {
            // IAM: an absent key fails positive operators and ForAnyValue, satisfies negated operators,
            // ForAllValues (vacuously) and anything ...IfExists.
            return ifExists || qualifier == Qualifier.FOR_ALL_VALUES
                    || (qualifier == Qualifier.NONE && operator.negated());
        }
        Predicate<String> each = v -> anyPolicyValue(v, ctx) != operator.negated();
        boolean anyValue = qualifier == Qualifier.FOR_ANY_VALUE || (qualifier == Qualifier.NONE && !operator.negated());
        return anyValue ? actual.stream().anyMatch(each) : actual.stream().allMatch(each);
    }

    private boolean anyPolicyValue(String actual, RequestContext ctx) {
        for (ConditionOperator.ValueTest t : tests) {
            if (t.test(actual, ctx)) {
                return true;
            }
        }
        return false;
    }

    /** Parses a statement's Condition block. */
    static List<Condition> parseBlock(JsonNode block, String where, boolean variables) {
        if (!block.isObject() || block.isEmpty()) {
            throw new PolicySyntaxException(where + ": Condition must be a non-empty object of {\"<operator>\": {\"<key>\": <value(s)>}}");
        }
        List<Condition> conditions = new ArrayList<>();
        for (Map.Entry<String, JsonNode> op : block.properties()) {
            String at = where + ": condition operator \"" + op.getKey() + "\"";
            JsonNode keys = op.getValue();
            if (!keys.isObject() || keys.isEmpty()) {
                throw new PolicySyntaxException(at + " must map condition keys to values, e.g. {\"aws:SourceIp\": \"10.0.0.0/8\"}");
            }
            for (Map.Entry<String, JsonNode> k : keys.properties()) {
                conditions.add(parse(op.getKey(), k.getKey(), k.getValue(), at, variables));
            }
        }
        return conditions;
    }

    private static Condition parse(String name, String key, JsonNode valueNode, String at, boolean variables) {
        String lower = name.toLowerCase(Locale.ROOT);
        Qualifier qualifier = lower.startsWith(FOR_ANY) ? Qualifier.FOR_ANY_VALUE
                : lower.startsWith(FOR_ALL) ? Qualifier.FOR_ALL_VALUES : Qualifier.NONE;
        String base = name.substring(qualifier == Qualifier.NONE ? 0 : name.indexOf(':') + 1);
        boolean ifExists = base.toLowerCase(Locale.ROOT).endsWith(IF_EXISTS) && base.length() > IF_EXISTS.length();
        ConditionOperator operator = ConditionOperator.byName(ifExists ? base.substring(0, base.length() - IF_EXISTS.length()) : base);
        if (operator == null) {
            throw new PolicySyntaxException(at + " is not a known condition operator");
        }
        if (operator == ConditionOperator.NULL && (ifExists || qualifier != Qualifier.NONE)) {
            throw new PolicySyntaxException(at + ": Null takes neither an IfExists suffix nor ForAnyValue:/ForAllValues:");
        }
        if (key.isBlank()) {
            throw new PolicySyntaxException(at + ": condition key must not be empty");
        }
        String where = at + ", key \"" + key + "\"";
        List<ConditionOperator.ValueTest> tests = new ArrayList<>();
        for (String value : PolicyParser.scalars(valueNode, where)) {
            try {
                tests.add(operator.compile(value, variables));
            } catch (IllegalArgumentException e) {
                throw new PolicySyntaxException(where + ": " + e.getMessage(), e);
            }
        }
        return new Condition(name, operator, qualifier, ifExists, key, List.copyOf(tests));
    }
}
