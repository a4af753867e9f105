package io.wharf.scan.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.core.model.Digest;
import io.wharf.scan.catalog.OsCatalogers;
import io.wharf.scan.model.FoundPackage;
import io.wharf.scan.model.ImageInventory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;

class ImageAnalyzerTest {

    static final ImageAnalyzer.Limits LIMITS = new ImageAnalyzer.Limits(1 << 20, 1L << 30, 1L << 30);
    static final String OS_RELEASE = "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\n"
            + "VERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\nID=debian\n";

    private final MapLayerCache cache = new MapLayerCache();
    private final AtomicInteger opens = new AtomicInteger();
    private final ImageAnalyzer analyzer = new ImageAnalyzer(OsCatalogers.all(), cache, LIMITS);

    static String stanza(String name, String version) {
        return "Package: " + name + "\nStatus: install ok installed\nArchitecture: amd64\nVersion: " + version + "\n";
    }

    private ImageInventory analyze(TestLayer... layers) throws Exception {
        return analyzer.analyze(java.util.Arrays.stream(layers)
                .map(l -> TestLayer.source(l.gzip(), l.tar(), opens)).toList());
    }

    private static List<String> names(ImageInventory inventory) {
        return inventory.packages().stream().map(f -> f.pkg().name() + "@" + f.pkg().version()).toList();
    }

    @Test
    void readsGzipZstdAndPlainTarAlike() throws Exception {
        TestLayer layer = new TestLayer().file("var/lib/dpkg/status", stanza("a", "1"));
        for (byte[] blob : List.of(layer.gzip(), layer.zstd(), layer.tar())) {
            ImageInventory inventory = new ImageAnalyzer(OsCatalogers.all(), LayerCache.NONE, LIMITS)
                    .analyze(List.of(TestLayer.source(blob, layer.tar(), opens)));
            assertThat(names(inventory)).containsExactly("a@1");
            assertThat(inventory.packages().getFirst().diffId()).isEqualTo(Digest.sha256Of(layer.tar()));
        }
    }

    @Test
    void readsEveryMemberOfAConcatenatedGzip() throws Exception {
        byte[] tar = new TestLayer().file("x/y", "z").file("var/lib/dpkg/status", stanza("late", "2")).tar();
        int cut = 512 * 3; // first file's header and data in member one, the rest in member two
        ByteArrayOutputStream blob = new ByteArrayOutputStream();
        blob.writeBytes(TestLayer.gzip(java.util.Arrays.copyOfRange(tar, 0, cut)));
        blob.writeBytes(TestLayer.gzip(java.util.Arrays.copyOfRange(tar, cut, tar.length)));
        ImageInventory inventory = analyzer.analyze(List.of(TestLayer.source(blob.toByteArray(), tar, opens)));
        assertThat(names(inventory)).containsExactly("late@2");
        assertThat(inventory.packages().getFirst().diffId()).isEqualTo(Digest.sha256Of(tar));
    }

    @Test
    void longPaxNamesAndDotSlashPrefixesAreNormalized() throws Exception {
        String deep = "opt/" + "d".repeat(120) + "/" + "e".repeat(60) + "/../../var/lib/dpkg/status";
        ImageInventory inventory = analyze(new TestLayer()
                .file("./var/lib/dpkg/status", stanza("dotted", "1"))
                .file(deep, stanza("climber", "6"))
                .file("/var/lib/dpkg/status.d/" + "n".repeat(150), stanza("long", "2")));
        assertThat(names(inventory)).containsExactly("dotted@1", "long@2");
        assertThat(inventory.packages().get(1).pkg().filePath()).isEqualTo("var/lib/dpkg/status.d/" + "n".repeat(150));
    }

    @Test
    void tarWithParentSegmentsCannotReachOtherPaths() throws Exception {
        ImageInventory inventory = analyze(new TestLayer()
                .file("../var/lib/dpkg/status", stanza("evil", "1"))
                .file("etc/../../var/lib/dpkg/status", stanza("evil2", "1"))
                .symlink("etc/os-release", "../../../../usr/lib/os-release")
                .file("usr/lib/os-release", OS_RELEASE));
        assertThat(inventory.packages()).isEmpty();
        assertThat(inventory.os().id()).isEqualTo("debian");
    }

    @Test
    void osReleaseSymlinkIsResolvedInTheMergedView() throws Exception {
        ImageInventory inventory = analyze(
                new TestLayer().file("usr/lib/os-release", "ID=alpine\nVERSION_ID=3.19.1\n"),
                new TestLayer().symlink("etc/os-release", "../usr/lib/os-release"),
                new TestLayer().file("usr/lib/os-release", OS_RELEASE));
        assertThat(inventory.os().id()).isEqualTo("debian");
        assertThat(inventory.os().versionId()).isEqualTo("12");
        assertThat(inventory.os().versionCodename()).isEqualTo("bookworm");
        assertThat(inventory.os().prettyName()).isEqualTo("Debian GNU/Linux 12 (bookworm)");
    }

    @Test
    void hardLinkedOsReleaseAndFallbacks() throws Exception {
        assertThat(analyze(new TestLayer().file("usr/lib/os-release", OS_RELEASE)
                .hardlink("etc/os-release", "usr/lib/os-release")).os().id()).isEqualTo("debian");
        assertThat(analyze(new TestLayer().file("etc/alpine-release", "3.19.1\n")).os().versionId())
                .isEqualTo("3.19.1");
        assertThat(analyze(new TestLayer().file("etc/debian_version", "trixie/sid\n")).os().versionCodename())
                .isEqualTo("trixie");
        assertThat(analyze(new TestLayer().file("etc/hostname", "x")).os()).isNull();
    }

    @Test
    void secondAnalysisIsServedFromTheCacheWithoutOpeningAnyLayer() throws Exception {
        TestLayer base = new TestLayer().file("var/lib/dpkg/status", stanza("a", "1"));
        TestLayer top = new TestLayer().file("var/lib/dpkg/status.d/b", stanza("b", "2"));
        ImageInventory first = analyze(base, top);
        assertThat(opens).hasValue(2);
        assertThat(cache.entries).hasSize(2);
        ImageInventory second = analyze(base, top);
        assertThat(opens).hasValue(2);
        assertThat(second).isEqualTo(first);
    }

    @Test
    void catalogerVersionsArePartOfTheCacheKey() throws Exception {
        TestLayer layer = new TestLayer().file("var/lib/dpkg/status", stanza("a", "1"));
        analyze(layer);
        Cataloger bumped = new Cataloger() {
            final Cataloger dpkg = OsCatalogers.all().getFirst();

            public String name() {
                return dpkg.name();
            }

            public int version() {
                return 2;
            }

            public boolean wants(LayerEntry entry) {
                return dpkg.wants(entry);
            }

            public List<io.wharf.scan.model.Pkg> read(LayerEntry entry, InputStream content) throws IOException {
                return dpkg.read(entry, content);
            }
        };
        assertThat(ImageAnalyzer.cacheKey(List.of(bumped))).isNotEqualTo(ImageAnalyzer.cacheKey(OsCatalogers.all()));
        new ImageAnalyzer(List.of(bumped), cache, LIMITS).analyze(List.of(TestLayer.source(layer.gzip(), layer.tar(), opens)));
        assertThat(opens).hasValue(2);
    }

    @Test
    void aLayerClaimingAnotherDiffIdIsCachedOnlyUnderItsComputedOne() throws Exception {
        TestLayer honest = new TestLayer().file("var/lib/dpkg/status", stanza("good", "1"));
        TestLayer evil = new TestLayer().file("var/lib/dpkg/status", stanza("evil", "6"));
        Digest claimed = Digest.sha256Of(honest.tar());
        ImageInventory poisoned = analyzer.analyze(List.of(TestLayer.source(evil.gzip(), claimed, opens)));
        assertThat(names(poisoned)).containsExactly("evil@6");
        assertThat(poisoned.packages().getFirst().diffId()).isEqualTo(Digest.sha256Of(evil.tar()));
        assertThat(cache.entries.keySet()).allMatch(k -> k.startsWith(Digest.sha256Of(evil.tar()).toString()));
        ImageInventory clean = analyze(honest);
        assertThat(names(clean)).containsExactly("good@1");
        assertThat(opens).hasValue(2);
    }

    @Test
    void corruptCacheEntriesAreIgnored() throws Exception {
        TestLayer layer = new TestLayer().file("var/lib/dpkg/status", stanza("a", "1"));
        cache.put(Digest.sha256Of(layer.tar()), analyzer.cacheKey(), "not gzip".getBytes());
        assertThat(names(analyze(layer))).containsExactly("a@1");
    }

    @Test
    void imageOverMaxImageBytesIsRefusedBeforeReading() {
        TestLayer layer = new TestLayer().file("var/lib/dpkg/status", stanza("a", "1"));
        byte[] blob = layer.gzip();
        ImageAnalyzer small = new ImageAnalyzer(OsCatalogers.all(), cache, new ImageAnalyzer.Limits(1 << 20, blob.length * 2L - 1, 1L << 30));
        assertThatThrownBy(() -> small.analyze(List.of(TestLayer.source(blob, layer.tar(), opens),
                TestLayer.source(blob, layer.tar(), opens))))
                .isInstanceOfSatisfying(AnalysisException.class, e -> assertThat(e.reason()).isEqualTo(AnalysisException.Reason.TOO_LARGE));
        assertThat(opens).hasValue(0);
    }

    @Test
    void layerOverMaxLayerBytesStopsWhileReading() {
        TestLayer bomb = new TestLayer().file("zeros", new byte[4 << 20]);
        ImageAnalyzer small = new ImageAnalyzer(OsCatalogers.all(), cache, new ImageAnalyzer.Limits(1 << 20, 1L << 30, 1 << 20));
        assertThatThrownBy(() -> small.analyze(List.of(TestLayer.source(bomb.gzip(), bomb.tar(), opens))))
                .isInstanceOfSatisfying(AnalysisException.class, e -> {
                    assertThat(e.reason()).isEqualTo(AnalysisException.Reason.TOO_LARGE);
                    assertThat(e.getMessage()).contains("1048576");
                });
        assertThat(cache.entries).isEmpty();
    }

    @Test
    void wantedFilesOverMaxFileBytesAreSkipped() throws Exception {
        String big = stanza("big", "1") + "Description: x\n" + " padding\n".repeat(200);
        TestLayer layer = new TestLayer().file("var/lib/dpkg/status", big).file("var/lib/dpkg/status.d/s", stanza("small", "1"));
        ImageAnalyzer small = new ImageAnalyzer(OsCatalogers.all(), cache, new ImageAnalyzer.Limits(1000, 1L << 30, 1L << 30));
        assertThat(names(small.analyze(List.of(TestLayer.source(layer.gzip(), layer.tar(), opens))))).containsExactly("small@1");
        LayerAnalysis stored = ImageAnalyzer.decode(cache.entries.values().iterator().next());
        assertThat(stored.skippedFiles()).isEqualTo(1);
    }

    @Test
    void garbageAndTruncatedLayersAreUnreadable() {
        byte[] garbage = new byte[4096];
        new Random(7).nextBytes(garbage);
        byte[] gz = new TestLayer().file("var/lib/dpkg/status", stanza("a", "1")).gzip();
        byte[] truncated = java.util.Arrays.copyOf(gz, gz.length / 2);
        byte[] badZstd = {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd, 1, 2, 3, 4, 5, 6, 7, 8};
        for (byte[] blob : List.of(garbage, truncated, badZstd)) {
            assertThatThrownBy(() -> analyzer.analyze(List.of(TestLayer.source(blob, (Digest) null, opens))))
                    .isInstanceOfSatisfying(AnalysisException.class,
                            e -> assertThat(e.reason()).isEqualTo(AnalysisException.Reason.UNREADABLE));
        }
    }

    @Test
    void storageFailuresStayIoExceptions() {
        LayerSource failing = new LayerSource(Digest.sha256Of(new byte[1]), "application/vnd.oci.image.layer.v1.tar",
                10, null, () -> new InputStream() {
                    public int read() throws IOException {
                        throw new IOException("disk gone");
                    }
                });
        assertThatThrownBy(() -> analyzer.analyze(List.of(failing)))
                .isInstanceOf(IOException.class).hasMessageContaining("disk gone");
    }

    @Test
    void aCatalogerThatThrowsYieldsNothingForThatFile() throws Exception {
        Cataloger broken = new Cataloger() {
            public String name() {
                return "broken";
            }

            public boolean wants(LayerEntry entry) {
                return entry.path().endsWith(".bin");
            }

            public List<io.wharf.scan.model.Pkg> read(LayerEntry entry, InputStream content) throws IOException {
                content.read();
                throw new IOException("not what it claimed");
            }
        };
        List<Cataloger> catalogers = new java.util.ArrayList<>(OsCatalogers.all());
        catalogers.addFirst(broken);
        TestLayer layer = new TestLayer().file("a.bin", "xyz").file("var/lib/dpkg/status", stanza("ok", "1"));
        ImageInventory inventory = new ImageAnalyzer(catalogers, cache, LIMITS)
                .analyze(List.of(TestLayer.source(new ByteArrayInputStream(layer.gzip()).readAllBytes(), layer.tar(), opens)));
        assertThat(names(inventory)).containsExactly("ok@1");
    }

    @Test
    void foundPackagesCarryTheirLayer() throws Exception {
        TestLayer l0 = new TestLayer().file("var/lib/dpkg/status", stanza("a", "1"));
        TestLayer l1 = new TestLayer().file("var/lib/dpkg/status", stanza("a", "1") + "\n" + stanza("b", "1"));
        ImageInventory inventory = analyze(l0, l1);
        FoundPackage a = inventory.packages().get(0);
        FoundPackage b = inventory.packages().get(1);
        assertThat(a.layerIndex()).isZero();
        assertThat(a.layerDigest()).isEqualTo(Digest.sha256Of(l0.gzip()));
        assertThat(b.layerIndex()).isEqualTo(1);
        assertThat(b.diffId()).isEqualTo(Digest.sha256Of(l1.tar()));
    }

    @Test
    void aLayerOfCountlessWhiteoutsIsTooLarge() {
        TestLayer layer = new TestLayer();
        for (int i = 0; i < 50; i++) {
            layer.whiteout("tmp/f" + i);
        }
        ImageAnalyzer capped = new ImageAnalyzer(OsCatalogers.all(), cache, LIMITS, 40);
        assertThatThrownBy(() -> capped.analyze(List.of(TestLayer.source(layer.gzip(), layer.tar(), opens))))
                .isInstanceOfSatisfying(AnalysisException.class,
                        e -> assertThat(e.reason()).isEqualTo(AnalysisException.Reason.TOO_LARGE));
    }

    @Test
    void aLaterSymlinkInTheSameLayerReplacesTheOsReleaseText() throws Exception {
        ImageInventory inventory = analyze(new TestLayer()
                .file("etc/os-release", "ID=alpine\nVERSION_ID=3.18.0\n")
                .file("usr/lib/os-release", OS_RELEASE)
                .symlink("etc/os-release", "/usr/lib/os-release"));
        assertThat(inventory.os().id()).isEqualTo("debian");
    }

    @Test
    void oversizedPaxHeadersAreRefusedBeforeTheyAreRead() throws Exception {
        TarArchiveEntry pax = new TarArchiveEntry("PaxHeaders/x", TarConstants.LF_PAX_EXTENDED_HEADER_LC);
        pax.setSize(8L << 20);
        byte[] header = new byte[512];
        pax.writeEntryHeader(header);
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        tar.writeBytes(header);
        tar.writeBytes(new byte[8 << 20]);
        tar.writeBytes(new byte[1024]);
        byte[] blob = TestLayer.gzip(tar.toByteArray());
        assertThatThrownBy(() -> analyzer.analyze(List.of(TestLayer.source(blob, (Digest) null, opens))))
                .isInstanceOfSatisfying(AnalysisException.class, e -> {
                    assertThat(e.reason()).isEqualTo(AnalysisException.Reason.UNREADABLE);
                    assertThat(e.getMessage()).contains("metadata entry of 8388608 bytes");
                });
    }
}
