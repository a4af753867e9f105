package io.wharf.server.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** scripts/fuzz.sh names exactly the @FuzzTest methods of the sources, so that CI's short run fuzzes every target. */
class FuzzTargetsListedTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern TARGET = Pattern.compile("@FuzzTest\\s+void\\s+(\\w+)\\(");
    private static final Pattern LISTED = Pattern.compile("^\\s+(wharf-\\w+):(\\w+#\\w+)$", Pattern.MULTILINE);

    @Test
    void theScriptListsEveryFuzzTarget() throws IOException {
        Set<String> declared = new TreeSet<>();
        try (Stream<Path> files = Files.walk(ROOT, 12)) {
            for (Path f : files.filter(p -> p.toString().endsWith("FuzzTest.java") && p.toString().contains("/src/test/java/")).toList()) {
                String module = ROOT.relativize(f).getName(0).toString();
                String cls = f.getFileName().toString().replace(".java", "");
                Matcher m = TARGET.matcher(Files.readString(f));
                while (m.find()) {
                    declared.add(module + ":" + cls + "#" + m.group(1));
                }
            }
        }
        Set<String> listed = new TreeSet<>();
        Matcher m = LISTED.matcher(Files.readString(ROOT.resolve("scripts/fuzz.sh")));
        while (m.find()) {
            listed.add(m.group(1) + ":" + m.group(2));
        }
        assertThat(declared).hasSizeGreaterThanOrEqualTo(12);
        assertThat(listed).isEqualTo(declared);
    }
}
