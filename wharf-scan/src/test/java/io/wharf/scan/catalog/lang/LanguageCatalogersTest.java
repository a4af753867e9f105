package io.wharf.scan.catalog.lang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.scan.catalog.LanguageCatalogers;
import io.wharf.scan.layer.Cataloger;
import io.wharf.scan.layer.LayerEntry;
import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LanguageCatalogersTest {

    @Test
    void allHaveDistinctNamesAndAtMostOneWantsAFile() {
        List<Cataloger> all = LanguageCatalogers.all();
        assertThat(all).extracting(Cataloger::name).doesNotHaveDuplicates().hasSize(8);
        List<LayerEntry> samples = List.of(
                new LayerEntry("app/node_modules/a/package.json", 100, 0644),
                new LayerEntry("app/package-lock.json", 100, 0644),
                new LayerEntry("app/yarn.lock", 100, 0644),
                new LayerEntry("app/a-1.jar", 100, 0755),
                new LayerEntry("x/a-1.dist-info/METADATA", 100, 0644),
                new LayerEntry("usr/bin/app", 2_000_000, 0755),
                new LayerEntry("Cargo.lock", 100, 0644),
                new LayerEntry("specifications/a.gemspec", 100, 0644));
        for (LayerEntry e : samples) {
            assertThat(all.stream().filter(c -> c.wants(e)).count()).as(e.path()).isEqualTo(1);
        }
        LayerEntry plain = new LayerEntry("etc/passwd", 100, 0644);
        assertThat(all).noneMatch(c -> c.wants(plain));
    }

    /** Hostile content offered under every wanted name: never an exception, whatever the bytes. */
    @Test
    void randomBytesNeverThrow() throws Exception {
        Random random = new Random(42);
        List<String> paths = List.of("a/node_modules/x/package.json", "package-lock.json", "yarn.lock", "a.jar",
                "a.dist-info/METADATA", "usr/bin/app", "Cargo.lock", "specifications/a.gemspec");
        for (int round = 0; round < 20; round++) {
            byte[] bytes = new byte[70_000 + random.nextInt(100_000)];
            random.nextBytes(bytes);
            for (String p : paths) {
                LayerEntry e = new LayerEntry(p, bytes.length, 0755);
                for (Cataloger c : LanguageCatalogers.all()) {
                    if (c.wants(e)) {
                        assertThat(c.read(e, new ByteArrayInputStream(bytes))).isNotNull();
                    }
                }
            }
        }
    }

    @Test
    void limitsMustBePositive() {
        assertThatThrownBy(() -> new LanguageLimits(0, 1, 1, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
