package io.wharf.scan.catalog.os;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.scan.catalog.OsCatalogers;
import io.wharf.scan.layer.LayerEntry;
import io.wharf.scan.model.PackageManager;
import io.wharf.scan.model.Pkg;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The OS catalogers on real package databases: dpkg stanzas from Debian 12, an apk db, an rpmdb.sqlite from rpm 4.18. */
class OsCatalogersTest {

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = OsCatalogersTest.class.getResourceAsStream("/fixtures/" + name)) {
            return in.readAllBytes();
        }
    }

    private static List<Pkg> read(io.wharf.scan.layer.Cataloger cataloger, String path, byte[] bytes) throws IOException {
        LayerEntry entry = new LayerEntry(path, bytes.length, 0644);
        assertThat(cataloger.wants(entry)).as(path).isTrue();
        return cataloger.read(entry, new ByteArrayInputStream(bytes));
    }

    @Test
    void dpkgStatusListsInstalledPackagesWithTheirSources() throws IOException {
        List<Pkg> pkgs = read(new DpkgCataloger(), "var/lib/dpkg/status", resource("dpkg/status"));
        assertThat(pkgs).extracting(Pkg::name)
                .containsExactly("base-files", "bash", "libc6", "libssl3", "tzdata", "zlib1g");
        Pkg libc = pkgs.get(2);
        assertThat(libc.sourceName()).isEqualTo("glibc");
        assertThat(libc.sourceVersion()).isNull();
        assertThat(libc.arch()).isEqualTo("amd64");
        Pkg bash = pkgs.get(1);
        assertThat(bash.version()).isEqualTo("5.2.15-2+b8");
        assertThat(bash.sourceName()).isEqualTo("bash");
        assertThat(bash.sourceVersion()).isEqualTo("5.2.15-2");
        assertThat(pkgs.get(5).version()).isEqualTo("1:1.2.13.dfsg-1");
        assertThat(pkgs.getFirst().sourceName()).isEqualTo("base-files");
        assertThat(pkgs).allMatch(p -> p.manager() == PackageManager.DPKG && p.filePath().equals("var/lib/dpkg/status"));
    }

    @Test
    void dpkgDistrolessStatusDWithoutStatusFieldCountsAsInstalled() throws IOException {
        DpkgCataloger dpkg = new DpkgCataloger();
        List<Pkg> pkgs = read(dpkg, "var/lib/dpkg/status.d/libssl3",
                "Package: libssl3\nVersion: 3.0.11-1~deb12u2\nArchitecture: amd64\nSource: openssl\n".getBytes());
        assertThat(pkgs).extracting(Pkg::sourceName).containsExactly("openssl");
        assertThat(dpkg.wants(new LayerEntry("var/lib/dpkg/status.d/libssl3.md5sums", 10, 0644))).isFalse();
        assertThat(dpkg.wants(new LayerEntry("var/lib/dpkg/status.d/x/y", 10, 0644))).isFalse();
        assertThat(dpkg.wants(new LayerEntry("var/lib/dpkg/available", 10, 0644))).isFalse();
    }

    @Test
    void apkInstalledListsPackagesWithOriginAndLicense() throws IOException {
        List<Pkg> pkgs = read(new ApkCataloger(), "lib/apk/db/installed", resource("apk/installed"));
        assertThat(pkgs).extracting(p -> p.name() + "@" + p.version() + " " + p.sourceName() + " " + p.license())
                .containsExactly("musl@1.2.4_git20230717-r4 musl MIT", "libcrypto3@3.1.4-r5 openssl Apache-2.0");
        assertThat(pkgs.getFirst().arch()).isEqualTo("x86_64");
    }

    @Test
    void rpmSqliteDatabaseMadeByRpmIsRead() throws IOException {
        List<Pkg> pkgs = read(new RpmCataloger(), "var/lib/rpm/rpmdb.sqlite", resource("rpm/rpmdb.sqlite"));
        assertThat(pkgs).extracting(p -> p.name() + "@" + p.version() + " " + p.sourceName() + " " + p.arch() + " " + p.license())
                .containsExactlyInAnyOrder("wharf-hello@1.2.3-4.el9 wharf-hello noarch MIT",
                        "wharf-tools@2:2.0-1.fc40 wharf-tools noarch GPL-2.0-or-later");
        assertThat(pkgs).allMatch(p -> p.sourceVersion() == null);
        assertThat(new RpmCataloger().wants(new LayerEntry("usr/lib/sysimage/rpm/rpmdb.sqlite", 1, 0644))).isTrue();
    }

    @Test
    void sourceRpmNamesAreSplit() {
        assertThat(RpmCataloger.sourceRpm("glibc-2.34-100.el9_4.2.src.rpm")).containsExactly("glibc", "2.34-100.el9_4.2");
        assertThat(RpmCataloger.sourceRpm("python-dateutil-2.8.1-7.fc40.src.rpm"))
                .containsExactly("python-dateutil", "2.8.1-7.fc40");
        assertThat(RpmCataloger.sourceRpm("nonsense")).isNull();
        assertThat(RpmCataloger.sourceRpm("x.src.rpm")).isNull();
    }

    @Test
    void garbageYieldsNoPackagesAndNoException() throws IOException {
        byte[] garbage = new byte[8192];
        new Random(3).nextBytes(garbage);
        for (var cataloger : OsCatalogers.all()) {
            String path = switch (cataloger.name()) {
                case "dpkg" -> "var/lib/dpkg/status";
                case "apk" -> "lib/apk/db/installed";
                default -> "var/lib/rpm/rpmdb.sqlite";
            };
            assertThat(read(cataloger, path, garbage)).as(cataloger.name()).isEmpty();
        }
    }

    @Test
    void rpmHeadersWithBadOffsetsAreRejected() {
        assertThat(RpmHeader.parse(new byte[] {0, 0, 0, 1, 0, 0, 0, 4})).isNull();
        byte[] blob = {0, 0, 0, 1, 0, 0, 0, 4, 0, 0, 3, (byte) 0xe8, 0, 0, 0, 6, 0x7f, 0, 0, 0, 0, 0, 0, 1, 'a', 'b', 'c', 'd'};
        RpmHeader header = RpmHeader.parse(blob);
        assertThat(header).isNotNull();
        assertThat(header.string(RpmHeader.NAME)).isNull();
    }
}
