package io.wharf.core.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Typed, strict access to the fields of one JSON object of a policy. Every fault names where it is
 * ({@code rule with priority 3: selection.countNumber ...}). An explicit {@code null} is a wrong type, not an
 * absent field: ECR's schema rejects {@code "targetStorageClass": null}, and tools that emit nulls for unset
 * attributes rely on hearing about it.
 */
final class JsonFields {

    private final JsonNode node;
    private final String where;
    private final String path;

    /**
     * @param where the rule (or policy) the object belongs to, as the message should name it
     * @param path  the prefix of its field names in messages: {@code ""}, {@code "selection."}, {@code "action."}
     */
    JsonFields(JsonNode node, String where, String path) {
        this.node = node;
        this.where = where;
        this.path = path;
    }

    /** Rejects any field not in {@code allowed}; ECR's schema forbids additional properties everywhere. */
    JsonFields allowOnly(Set<String> allowed) {
        for (String name : (Iterable<String>) node::fieldNames) {
            if (!allowed.contains(name)) {
                String list = allowed.stream().sorted().collect(Collectors.joining(", "));
                throw fail("unknown field \"" + path + name + "\" (allowed: " + list + ")");
            }
        }
        return this;
    }

    boolean has(String name) {
        return node.has(name);
    }

    JsonFields object(String name) {
        JsonNode value = required(name);
        if (!value.isObject()) {
            throw wrongType(name, "an object", value);
        }
        return new JsonFields(value, where, path + name + ".");
    }

    /** The string value, or null when the field is absent. */
    String optionalText(String name) {
        JsonNode value = node.get(name);
        if (value == null) {
            return null;
        }
        if (!value.isTextual()) {
            throw wrongType(name, "a string", value);
        }
        return value.textValue();
    }

    /** One of an enum's lower-case spellings, or null when absent. Case matters: "Tagged" is refused. */
    <E extends Enum<E> & Vocabulary> E optionalWord(String name, E[] values) {
        String text = optionalText(name);
        if (text == null) {
            return null;
        }
        for (E value : values) {
            if (value.json().equals(text)) {
                return value;
            }
        }
        String allowed = Arrays.stream(values).map(v -> "\"" + v.json() + "\"").collect(Collectors.joining(", "));
        throw fail(path + name + " must be one of " + allowed + " (lower-case), not \"" + text + "\"");
    }

    <E extends Enum<E> & Vocabulary> E word(String name, E[] values) {
        required(name);
        return optionalWord(name, values);
    }

    /** A JSON integer (not 1.0, not "1") of at least {@code min}. */
    int integer(String name, int min) {
        JsonNode value = required(name);
        if (!value.isIntegralNumber()) {
            throw wrongType(name, "an integer", value);
        }
        if (!value.canConvertToInt()) {
            throw fail(path + name + " must be at most " + Integer.MAX_VALUE + ", not " + value);
        }
        if (value.intValue() < min) {
            String what = min == 1 ? "a positive integer" : "at least " + min;
            throw fail(path + name + " must be " + what + ", not " + value.intValue());
        }
        return value.intValue();
    }

    /** A list of non-empty strings (possibly an empty list), or null when the field is absent. */
    List<String> optionalStrings(String name) {
        JsonNode value = node.get(name);
        if (value == null) {
            return null;
        }
        if (!value.isArray()) {
            throw wrongType(name, "an array of strings", value);
        }
        List<String> items = new ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isTextual() || item.textValue().isEmpty()) {
                throw fail(path + name + " must hold non-empty strings, not " + describe(item));
            }
            items.add(item.textValue());
        }
        return items;
    }

    LifecyclePolicyException fail(String what) {
        return new LifecyclePolicyException(where + ": " + what);
    }

    private JsonNode required(String name) {
        JsonNode value = node.get(name);
        if (value == null) {
            throw fail("missing required field \"" + path + name + "\"");
        }
        return value;
    }

    private LifecyclePolicyException wrongType(String name, String expected, JsonNode value) {
        return fail(path + name + " must be " + expected + ", not " + describe(value));
    }

    /** A short, typed rendering of a JSON value for messages: {@code string "1"}, {@code number 1.5}. */
    static String describe(JsonNode node) {
        String text = node.toString();
        String shown = text.length() > 60 ? text.substring(0, 57) + "..." : text;
        return node.isNull() ? "null" : node.getNodeType().name().toLowerCase(Locale.ROOT) + " " + shown;
    }
}
