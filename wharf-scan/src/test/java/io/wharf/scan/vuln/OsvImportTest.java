package io.wharf.scan.vuln;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.memory.InMemoryMetadataStore;
import io.wharf.core.spi.AdvisoryIndex;
import io.wharf.core.spi.AdvisoryIndex.AdvisoryState;
import io.wharf.scan.vuln.OsvImport.FileResult;
import io.wharf.scan.vuln.OsvImport.Limits;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OsvImportTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;
    private final AdvisoryIndex index = new InMemoryMetadataStore().advisories();

    static String record(String id, String eco, String name, String fixed) {
        return """
                {"schema_version":"1.6.0","id":"%s","modified":"2025-06-0%dT00:00:00Z","aliases":["CVE-2025-%s"],
                 "details":"%s","affected":[{"package":{"ecosystem":"%s","name":"%s"},
                 "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"%s"}]}]}]}"""
                .formatted(id, 1 + Math.abs(id.hashCode()) % 9, id.hashCode() & 0xffff, "x".repeat(5000), eco, name, fixed);
    }

    private Path write(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
        return p;
    }

    private Path zip(String name, List<String> records) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(p))) {
            for (int i = 0; i < records.size(); i++) {
                z.putNextEntry(new ZipEntry("R-" + i + ".json"));
                z.write(records.get(i).getBytes(StandardCharsets.UTF_8));
            }
        }
        return p;
    }

    @Test
    void aSingleRecordIsNormalizedAndKeyed() throws IOException {
        Path f = write("one.json", record("GHSA-1", "PyPI", "Foo_Bar", "1.2"));
        FileResult r = OsvImport.importPath(index, f, CLOCK).getFirst();
        assertThat(r.error()).isNull();
        assertThat(r.result().written()).isEqualTo(1);
        Advisory a = OsvRecords.read(index.advisories("PyPI", "foo-bar").getFirst().document());
        assertThat(a.details()).hasSize(OsvRecords.MAX_DETAILS);
        assertThat(a.aliases()).hasSize(1);
        assertThat(OsvImport.importPath(index, f, CLOCK).getFirst().result().unchanged()).isEqualTo(1);
    }

    @Test
    void arraysZipsAndMirrorDirectories() throws IOException {
        write("mirror/ecosystems.txt", "npm\nDebian\n../escape\nMissing\n");
        zip("mirror/npm/all.zip", List.of(record("GHSA-a", "npm", "a", "1.0.0"), record("GHSA-b", "npm", "b", "2.0.0")));
        zip("mirror/Debian/all.zip", List.of(record("DEBIAN-CVE-1", "Debian:12", "c", "1.0-1")));
        write("mirror/ignored.json", record("GHSA-ignored", "npm", "z", "1"));
        List<FileResult> r = OsvImport.importPath(index, dir.resolve("mirror"), CLOCK);
        assertThat(r).extracting(x -> dir.relativize(x.file()).toString())
                .containsExactly("mirror/npm/all.zip", "mirror/Debian/all.zip");
        assertThat(index.advisoryState().count()).isEqualTo(3);
        assertThat(index.advisoryState().generation()).as("one per file").isEqualTo(2);

        write("tree/a/x.json", "[" + record("GHSA-c", "npm", "c", "1") + "," + record("GHSA-d", "npm", "d", "1") + "]");
        zip("tree/b/all.zip", List.of(record("GHSA-e", "npm", "e", "1")));
        assertThat(OsvImport.importPath(index, dir.resolve("tree"), CLOCK)).hasSize(2).allMatch(x -> !x.failed());
        assertThat(index.advisoryState().count()).isEqualTo(6);
    }

    @Test
    void aFileBrokenHalfwayChangesNothingAndSaysWhere() throws IOException {
        OsvImport.importPath(index, write("good.json", record("GHSA-0", "npm", "q", "1")), CLOCK);
        AdvisoryState before = index.advisoryState();
        Path bad = write("bad.json", "[" + record("GHSA-1", "npm", "a", "1") + ",\n" + record("GHSA-2", "npm", "b", "1")
                + ",\n{\"id\": \"GHSA-3\", \"affected\": [}]");
        FileResult r = OsvImport.importPath(index, bad, CLOCK).getFirst();
        assertThat(r.failed()).isTrue();
        assertThat(r.error()).startsWith(bad.toString()).contains("line 7");
        assertThat(index.advisoryState()).isEqualTo(before);
        assertThat(index.advisories("npm", "a")).isEmpty();

        Path badZip = zip("bad.zip", List.of(record("GHSA-4", "npm", "a", "1"), "{\"id\":"));
        assertThat(OsvImport.importPath(index, badZip, CLOCK).getFirst().error()).contains("entry R-1.json");
        assertThat(index.advisoryState()).isEqualTo(before);
    }

    @Test
    void capsAreEnforced() throws IOException {
        Path z = zip("many.zip", List.of(record("A-1", "npm", "a", "1"), record("A-2", "npm", "a", "1"),
                record("A-3", "npm", "a", "1")));
        Limits twoEntries = new Limits(1 << 20, 1 << 20, 2, 1 << 20, 100, 10);
        assertThat(OsvImport.importPath(index, z, CLOCK, twoEntries).getFirst().error()).contains("more than 2 zip entries");
        Limits smallEntries = new Limits(1 << 20, 100, 100, 1 << 20, 100, 10);
        assertThat(OsvImport.importPath(index, z, CLOCK, smallEntries).getFirst().error()).contains("larger than 100 bytes");
        Limits twoRecords = new Limits(1 << 20, 1 << 20, 100, 1 << 20, 2, 10);
        assertThat(OsvImport.importPath(index, z, CLOCK, twoRecords).getFirst().error()).contains("more than 2 advisories");
        Limits smallFile = new Limits(100, 1 << 20, 100, 1 << 20, 100, 10);
        assertThat(OsvImport.importPath(index, write("big.json", record("B", "npm", "b", "1")), CLOCK, smallFile)
                .getFirst().error()).contains("larger than 100 bytes");
        assertThat(index.advisoryState().count()).isZero();
    }

    @Test
    void zipBombsStopAtTheCap() throws IOException {
        Path p = dir.resolve("bomb.zip");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(p))) {
            z.putNextEntry(new ZipEntry("huge.json"));
            byte[] spaces = new byte[1 << 20];
            java.util.Arrays.fill(spaces, (byte) ' ');
            for (int i = 0; i < 200; i++) {
                z.write(spaces);
            }
        }
        assertThat(Files.size(p)).isLessThan(1 << 20);
        FileResult r = OsvImport.importPath(index, p, CLOCK, new Limits(1 << 30, 1 << 20, 10, 1 << 30, 10, 10)).getFirst();
        assertThat(r.error()).contains("huge.json").contains("larger than");
    }

    @Test
    void debianTrackerJson() throws IOException {
        Path f = write("tracker.json", """
                {"openssl": {
                   "CVE-2024-0727": {"description": "PKCS12 crash", "scope": "local",
                     "releases": {"bookworm": {"status": "resolved", "fixed_version": "3.0.13-1~deb12u1", "urgency": "low"},
                                  "bullseye": {"status": "open", "urgency": "not yet assigned"},
                                  "trixie": {"status": "resolved", "fixed_version": "0", "urgency": "unimportant"},
                                  "sid": {"status": "resolved", "fixed_version": "3.1.5-1", "urgency": "low"}}},
                   "TEMP-0000000-ABCDEF": {"releases": {"bookworm": {"status": "open", "urgency": "unimportant"}}}},
                 "zlib": {"CVE-2023-45853": {"releases": {"bookworm": {"status": "undetermined"}}}}}""");
        FileResult r = OsvImport.importPath(index, f, CLOCK).getFirst();
        assertThat(r.error()).isNull();
        assertThat(r.result().written()).isEqualTo(2);
        List<AdvisoryIndex.StoredAdvisory> s = index.advisories("Debian:12", "openssl");
        assertThat(s).extracting(AdvisoryIndex.StoredAdvisory::id)
                .containsExactly("DEBIAN-CVE-2024-0727/openssl", "DEBIAN-TEMP-0000000-ABCDEF/openssl");
        Advisory a = OsvRecords.read(s.getFirst().document());
        assertThat(a.affected()).extracting(Advisory.Affected::ecosystem).containsExactlyInAnyOrder("Debian:12", "Debian:11");
        assertThat(index.advisories("Debian:13", "openssl")).isEmpty();
        assertThat(OsvImport.importPath(index, f, CLOCK).getFirst().result().unchanged()).as("stable ids and documents")
                .isEqualTo(2);
    }

    @Test
    void alpineSecdbJson() throws IOException {
        Path f = write("main.json", """
                {"apkurl": "{{urlprefix}}/{{distroversion}}/{{reponame}}/{{arch}}/{{pkg.name}}-{{pkg.ver}}.apk",
                 "archs": ["x86_64"], "reponame": "main", "urlprefix": "https://dl-cdn.alpinelinux.org/alpine",
                 "distroversion": "v3.19",
                 "packages": [{"pkg": {"name": "busybox", "secfixes": {
                     "1.36.1-r16": ["CVE-2023-42363", "CVE-2023-42364 CVE-2023-42365"],
                     "0": ["CVE-2021-99999"]}}}]}""");
        FileResult r = OsvImport.importPath(index, f, CLOCK).getFirst();
        assertThat(r.error()).isNull();
        assertThat(index.advisories("Alpine:v3.19", "busybox")).hasSize(3);
    }

    @Test
    void garbageIsAnErrorNotACrash() throws IOException {
        for (String junk : List.of("", "42", "\"x\"", "{\"id\": 1", "[1,2", "\u0000\u0001", "{\"openssl\": 5}")) {
            FileResult r = OsvImport.importPath(index, write("junk.json", junk), CLOCK).getFirst();
            assertThat(r.result() == null || r.result().written() == 0).as(junk).isTrue();
        }
        assertThat(index.advisoryState().count()).isZero();
        try (OutputStream out = Files.newOutputStream(dir.resolve("trunc.zip"))) {
            out.write(new byte[] {'P', 'K', 3, 4, 1, 2, 3});
        }
        assertThat(OsvImport.importPath(index, dir.resolve("trunc.zip"), CLOCK).getFirst().failed()).isTrue();
    }
}
