package io.wharf.core.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Reads the table files of the table-driven tests: one row per line, '#' comments, blank lines
 * ignored, and lines starting with white space continuing the row above.
 */
public final class TableFiles {
    private TableFiles() {
    }

    /** Non-blank, non-comment lines with their continuations joined, keyed by first line number. */
    public static Map<Integer, String> logicalLines(String resource) {
        Map<Integer, String> lines = new LinkedHashMap<>();
        var in = Objects.requireNonNull(TableFiles.class.getResourceAsStream(resource), resource);
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            int number = 0;
            int current = -1;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                number++;
                if (line.isBlank() || line.stripLeading().startsWith("#")) {
                    continue;
                }
                if (Character.isWhitespace(line.charAt(0)) && current > 0) {
                    lines.merge(current, line.strip(), (a, b) -> a + " " + b);
                } else {
                    current = number;
                    lines.put(number, line.strip());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return lines;
    }
}
