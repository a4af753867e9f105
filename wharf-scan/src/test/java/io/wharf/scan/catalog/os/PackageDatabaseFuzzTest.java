package io.wharf.scan.catalog.os;

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
 * Fuzz target of the OS package-database readers (docs/security.md#fuzzing), files any pusher controls in a layer.
 * The first byte selects the reader, the rest is the file: dpkg {@code status}, a distroless {@code status.d/}
 * stanza, apk {@code installed}, an rpm header blob ({@link RpmHeader}) or a whole {@code rpmdb.sqlite}. A
 * cataloger turns bad content into no packages, never an exception (the layer is in memory, so not even an
 * {@link IOException}); every package it reports has a name and a version, its manager's, and names its file;
 * reading the same bytes again gives the same packages. Seeds: {@code PackageDatabaseFuzzTestInputs/databases/}.
 */
class PackageDatabaseFuzzTest {
    private record Reader(Cataloger cataloger, String path, PackageManager manager) {
    }

    private static final List<Reader> READERS = List.of(
            new Reader(new DpkgCataloger(), "var/lib/dpkg/status", PackageManager.DPKG),
            new Reader(new DpkgCataloger(), "var/lib/dpkg/status.d/base", PackageManager.DPKG),
            new Reader(new ApkCataloger(), "lib/apk/db/installed", PackageManager.APK),
            new Reader(new RpmCataloger(), "var/lib/rpm/rpmdb.sqlite", PackageManager.RPM));

    @FuzzTest
    void databases(byte[] input) throws IOException {
        if (input.length == 0) {
            return;
        }
        byte[] file = Arrays.copyOfRange(input, 1, input.length);
        int selector = (input[0] & 0xff) % (READERS.size() + 1);
        if (selector == READERS.size()) {
            Pkg pkg = RpmCataloger.pkg(RpmHeader.parse(file), "var/lib/rpm/rpmdb.sqlite");
            check(pkg == null ? List.of() : List.of(pkg), "var/lib/rpm/rpmdb.sqlite", PackageManager.RPM);
            return;
        }
        Reader reader = READERS.get(selector);
        List<Pkg> pkgs = read(reader, file);
        check(pkgs, reader.path(), reader.manager());
        assertThat(read(reader, file)).isEqualTo(pkgs);
    }

    private static List<Pkg> read(Reader reader, byte[] file) throws IOException {
        LayerEntry entry = new LayerEntry(reader.path(), file.length, 0644);
        assertThat(reader.cataloger().wants(entry)).isTrue();
        return reader.cataloger().read(entry, new ByteArrayInputStream(file));
    }

    private static void check(List<Pkg> pkgs, String path, PackageManager manager) {
        for (Pkg pkg : pkgs) {
            assertThat(pkg.manager()).isEqualTo(manager);
            assertThat(pkg.name()).isNotEmpty();
            assertThat(pkg.version()).isNotEmpty();
            assertThat(pkg.filePath()).isEqualTo(path);
        }
    }
}
