package io.wharf.core.lifecycle;

import static io.wharf.core.testing.TableFiles.logicalLines;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a policy table from {@code src/test/resources/lifecycle/}: one policy per row and what parsing it must
 * give, so each case is one line.
 *
 * <pre>
 * &#64;expire "action":{"type":"expire"}                       (a named snippet, pasted wherever $expire appears)
 * {"rules":[ ... ]}                              => ok          (a whole policy document)
 * rules [{"rulePriority":0, ... $expire}]         => rules[0]: rulePriority must be a positive integer
 * </pre>
 *
 * {@code rules X} stands for {@code {"rules":X}}. Expected is {@code ok} or a fragment the exception message
 * must contain. Lines starting with whitespace continue the previous line; {@code #} starts a comment line.
 */
final class PolicyTable {

    private static final Pattern REFERENCE = Pattern.compile("\\$(\\w+)");

    record Row(String name, String json, String expected) {
        boolean ok() {
            return expected.equals("ok");
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private PolicyTable() {}

    static List<Row> load(String file) {
        Map<String, String> snippets = new HashMap<>();
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<Integer, String> line : logicalLines("/lifecycle/" + file).entrySet()) {
            String text = line.getValue();
            if (text.startsWith("@")) {
                String[] parts = text.substring(1).split("\\s+", 2);
                snippets.put(parts[0], expand(parts[1], snippets));
                continue;
            }
            int arrow = text.lastIndexOf(" => ");
            if (arrow < 0) {
                throw new IllegalArgumentException(file + ":" + line.getKey() + ": no \" => \" in " + text);
            }
            String policy = expand(text.substring(0, arrow).trim(), snippets);
            policy = policy.startsWith("rules ") ? "{\"rules\":" + policy.substring(6).trim() + "}" : policy;
            String expected = text.substring(arrow + 4).trim();
            rows.add(new Row(file + ":" + line.getKey() + " => " + expected, policy, expected));
        }
        return rows;
    }

    private static String expand(String text, Map<String, String> snippets) {
        Matcher m = REFERENCE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = Objects.requireNonNull(snippets.get(m.group(1)), () -> "no snippet named " + m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        return m.appendTail(out).toString();
    }

}
