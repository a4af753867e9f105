package io.wharf.core.iam;

import static io.wharf.core.testing.TableFiles.logicalLines;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Reads a decision table from {@code src/test/resources/iam/}. A table defines policies by name and then
 * lists one request per row with the expected decision, so a case is one line and reads like a sentence:
 *
 * <pre>
 * &#64;stmt pull {"Effect":"Allow","Action":"ecr:BatchGetImage","Resource":"*"}    (wrapped in a 2012-10-17 document)
 * &#64;policy doc {"Version":"2012-10-17","Statement":[...]}                        (a whole document)
 * # principal   action             resource   identity  repo  registry  context              => expected  # why
 * alice         ecr:BatchGetImage  team/app   pull      -     -         aws:SourceIp=10.0.0.1 => ALLOW
 * </pre>
 *
 * Principal: {@code alice} (a user of 123456789012), {@code ci/bot} (user with a path), {@code root},
 * {@code name@account}. Resource: {@code *}, a full ARN, or {@code name[@account]} for a repository in
 * us-east-1. Identity: comma-separated policy names. Context: {@code key=v1,v2;key2=v}. {@code -} = none.
 * Lines starting with whitespace continue the previous line.
 */
final class DecisionTable {

    static final String HOME = "123456789012";

    record Row(String name, AuthzRequest request, List<PolicyDocument> identity, PolicyDocument repository,
               PolicyDocument registry, Decision expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    private final String file;
    private final Map<String, PolicyDocument> policies = new HashMap<>();

    private DecisionTable(String file) {
        this.file = file;
    }

    static List<Row> load(String file) {
        DecisionTable table = new DecisionTable(file);
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<Integer, String> line : logicalLines("/iam/" + file).entrySet()) {
            Row row = table.line(line.getKey(), line.getValue());
            if (row != null) {
                rows.add(row);
            }
        }
        return rows;
    }


    private Row line(int number, String line) {
        String[] words = line.split("\\s+", 3);
        if (words[0].equals("@policy") || words[0].equals("@stmt")) {
            String json = words[0].equals("@stmt") ? "{\"Version\":\"2012-10-17\",\"Statement\":" + words[2] + "}" : words[2];
            policies.put(words[1], PolicyDocument.parse(json));
            return null;
        }
        int arrow = line.indexOf("=>");
        String[] cells = line.substring(0, arrow).trim().split("\\s+");
        if (cells.length != 7) {
            throw new IllegalArgumentException(file + ":" + number + ": expected 7 cells before =>, got " + cells.length);
        }
        String expected = line.substring(arrow + 2).trim().split("\\s+")[0];
        Principal principal = principal(cells[0]);
        AuthzRequest request = new AuthzRequest(principal, cells[1], resource(cells[2]), null, context(cells[6]));
        List<PolicyDocument> identity = cells[3].equals("-") ? List.of()
                : Arrays.stream(cells[3].split(",")).map(this::policy).toList();
        return new Row(file + ":" + number + "  " + line, request, identity, policy(cells[4]), policy(cells[5]),
                Decision.valueOf(expected));
    }

    private PolicyDocument policy(String name) {
        if (name.equals("-")) {
            return null;
        }
        return Objects.requireNonNull(policies.get(name), () -> file + ": no policy named " + name);
    }

    private static Principal principal(String cell) {
        String[] parts = cell.split("@");
        String account = parts.length > 1 ? parts[1] : HOME;
        return parts[0].equals("root") ? Principal.root(account) : Principal.user(account, parts[0]);
    }

    private static String resource(String cell) {
        if (cell.equals("*") || cell.startsWith("arn:")) {
            return cell;
        }
        String[] parts = cell.split("@");
        return "arn:aws:ecr:us-east-1:" + (parts.length > 1 ? parts[1] : HOME) + ":repository/" + parts[0];
    }

    private static Map<String, List<String>> context(String cell) {
        Map<String, List<String>> context = new HashMap<>();
        if (!cell.equals("-")) {
            for (String entry : cell.split(";")) {
                int eq = entry.indexOf('=');
                String values = entry.substring(eq + 1);
                context.put(entry.substring(0, eq), values.isEmpty() ? List.of() : List.of(values.split(",")));
            }
        }
        return context;
    }

    static Stream<Row> rows(String... files) {
        return Arrays.stream(files).flatMap(f -> load(f).stream());
    }
}
