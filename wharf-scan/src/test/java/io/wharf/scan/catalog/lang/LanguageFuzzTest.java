package io.wharf.scan.catalog.lang;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.wharf.scan.layer.Cataloger;
import io.wharf.scan.layer.LayerEntry;
import io.wharf.scan.model.PackageManager;
import io.wharf.scan.model.Pkg;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzz target of the language-package readers (docs/security.md#fuzzing), files any pusher controls in a layer.
 * The first byte selects the reader, the rest is the file: an npm {@code package.json}, a {@code package-lock.json},
 * a {@code yarn.lock}, a Java archive, Python {@code METADATA}, a {@code Cargo.lock}, a gemspec, or a Go binary's
 * bytes ({@link GoBuildInfo}, searched in small chunks and in the default ones: the result must not depend on
 * that). A cataloger turns bad content into no packages, never an exception (the file is in memory, so not even an
 * {@link IOException}); every package has a name and a version, its manager's, and names its file (an archive
 * inside a Java archive as {@code outer.jar!/inner.jar}). Seeds: {@code LanguageFuzzTestInputs/manifests/}.
 */
class LanguageFuzzTest {
    private record Reader(Cataloger cataloger, String path, PackageManager manager) {
    }

    /** Caps small enough that a fuzzed zip bomb stays cheap. */
    private static final LanguageLimits LIMITS = new LanguageLimits(64 << 10, 1 << 20, 3, 1 << 20);
    private static final String GO_BINARY = "usr/local/bin/app";
    private static final List<Reader> READERS = List.of(
            new Reader(new NpmPackageCataloger(LIMITS), "app/node_modules/@s/a/package.json", PackageManager.NPM),
            new Reader(new NpmLockCataloger(LIMITS), "app/package-lock.json", PackageManager.NPM),
            new Reader(new YarnLockCataloger(LIMITS), "app/yarn.lock", PackageManager.NPM),
            new Reader(new JavaArchiveCataloger(LIMITS), "app/lib/app-1.0.war", PackageManager.MAVEN),
            new Reader(new PythonCataloger(LIMITS), "usr/lib/python3/site-packages/a-1.dist-info/METADATA",
                    PackageManager.PYPI),
            new Reader(new CargoLockCataloger(LIMITS), "src/Cargo.lock", PackageManager.CARGO),
            new Reader(new GemspecCataloger(LIMITS), "usr/lib/ruby/gems/3.1.0/specifications/a-1.gemspec",
                    PackageManager.GEM));

    @FuzzTest
    void manifests(byte[] input) throws IOException {
        if (input.length == 0) {
            return;
        }
        byte[] file = Arrays.copyOfRange(input, 1, input.length);
        int selector = (input[0] & 0xff) % (READERS.size() + 1);
        if (selector == READERS.size()) {
            goBinary(file);
            return;
        }
        Reader reader = READERS.get(selector);
        LayerEntry entry = new LayerEntry(reader.path(), file.length, 0644);
        assertThat(reader.cataloger().wants(entry)).isTrue();
        check(reader.cataloger().read(entry, new ByteArrayInputStream(file)), reader.path(), reader.manager());
    }

    private static void goBinary(byte[] file) throws IOException {
        GoBuildInfo.Info info = GoBuildInfo.find(new ByteArrayInputStream(file), 32);
        assertThat(GoBuildInfo.find(new ByteArrayInputStream(file), GoBuildInfo.DEFAULT_CHUNK)).isEqualTo(info);
        if (info != null) {
            check(GoBuildInfo.packages(info, GO_BINARY), GO_BINARY, PackageManager.GO);
        }
    }

    private static void check(List<Pkg> pkgs, String path, PackageManager manager) {
        for (Pkg pkg : pkgs) {
            assertThat(pkg.manager()).isEqualTo(manager);
            assertThat(pkg.name()).isNotEmpty();
            assertThat(pkg.version()).isNotEmpty();
            assertThat(pkg.filePath().equals(path) || pkg.filePath().startsWith(path + "!/")).isTrue();
        }
    }
}
