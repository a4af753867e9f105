package io.wharf.scan.insight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.core.memory.InMemoryMetadataStore;
import io.wharf.core.model.Digest;
import io.wharf.core.spi.InsightIndex;
import io.wharf.core.spi.InsightIndex.LayerInsight;
import io.wharf.scan.insight.InsightEntry.Type;
import io.wharf.scan.layer.AnalysisException;
import io.wharf.scan.layer.TestLayer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Layer insight over real gzip'd tar layers: what the reader keeps, the figures of a three-layer image computed
 * by hand (docs/layer-insight.md), and trees read back from stored chunks.
 */
class LayerInsightTest {
    private static final String CONFIG_V1 = "a".repeat(100);
    private static final String CONFIG_V2 = "b".repeat(120);
    private static final String TOOL = "x".repeat(1000);

    /** Base: 1,588 file bytes. */
    static TestLayer base() {
        return new TestLayer().dir("etc").file("etc/os-release", "ID=test\n").file("etc/config", CONFIG_V1)
                .file("usr/bin/tool", TOOL).file("usr/share/doc/readme", "r".repeat(50))
                .file("usr/share/doc/license", "l".repeat(30)).symlink("bin", "usr/bin")
                .dir("tmp").file("tmp/cache.bin", "c".repeat(400));
    }

    /** Modifies config, re-adds tool unchanged, removes tmp, makes usr/share/doc opaque, adds app/: 6,180 file bytes. */
    static TestLayer middle() {
        return new TestLayer().file("etc/config", CONFIG_V2).file("usr/bin/tool", TOOL).whiteout("tmp")
                .opaque("usr/share/doc").file("usr/share/doc/readme", "R".repeat(60))
                .file("app/big.dat", "d".repeat(5000)).hardlink("app/link", "app/big.dat");
    }

    /** Removes app/big.dat, writes app/run.sh twice (10 then 20 bytes), re-adds config unchanged: 150 file bytes. */
    static TestLayer top() {
        return new TestLayer().whiteout("app/big.dat").file("app/run.sh", "#".repeat(10))
                .file("app/run.sh", "!".repeat(20)).file("etc/config", CONFIG_V2);
    }

    private static LayerEntries read(byte[] blob) throws Exception {
        return new LayerInsightReader(1L << 30, 1000).read(TestLayer.source(blob, (Digest) null, new AtomicInteger()));
    }

    private static ImageInsight image() throws Exception {
        List<ImageFigures.ReadLayer> layers = new ArrayList<>();
        for (TestLayer l : List.of(base(), middle(), top())) {
            byte[] blob = l.gzip();
            layers.add(new ImageFigures.ReadLayer(Digest.sha256Of(blob), blob.length, read(blob)));
        }
        return ImageFigures.compute(Digest.sha256Of(new byte[] {1}), layers);
    }

    @Test
    void theReaderKeepsEveryEntryPathOrderedWithWhiteoutsOpaqueDirectoriesAndLinks() throws Exception {
        LayerEntries middle = read(middle().gzip());
        assertThat(middle.entries()).extracting(e -> e.path() + " " + e.type()).containsExactly(
                "app/big.dat FILE", "app/link HARDLINK", "etc/config FILE", "tmp WHITEOUT", "usr/bin/tool FILE",
                "usr/share/doc OPAQUE", "usr/share/doc/readme FILE");
        assertThat(middle.fileBytes()).isEqualTo(6180);
        assertThat(middle.entries().get(1).target()).isEqualTo("app/big.dat");
        LayerEntries base = read(base().gzip());
        assertThat(base.entries()).filteredOn(e -> e.path().equals("bin")).singleElement()
                .satisfies(e -> assertThat(e.type()).isEqualTo(Type.SYMLINK))
                .satisfies(e -> assertThat(e.target()).isEqualTo("usr/bin"));
        assertThat(base.fileBytes()).isEqualTo(1588);
        LayerEntries top = read(top().gzip());
        assertThat(top.fileBytes()).as("both copies of app/run.sh").isEqualTo(150);
        assertThat(top.shadowedBytes()).as("the first copy of app/run.sh").isEqualTo(10);
        assertThat(top.entries()).filteredOn(e -> e.path().equals("app/run.sh")).singleElement()
                .satisfies(e -> assertThat(e.size()).isEqualTo(20));
    }

    @Test
    void plainAndZstdLayersReadAsGzipOnes() throws Exception {
        LayerEntries gzip = read(middle().gzip());
        assertThat(read(middle().tar()).entries()).usingRecursiveFieldByFieldElementComparator().isEqualTo(gzip.entries());
        assertThat(read(middle().zstd()).entries()).usingRecursiveFieldByFieldElementComparator().isEqualTo(gzip.entries());
    }

    @Test
    void aLayerWithMoreEntriesThanAllowedIsTooLarge() {
        byte[] blob = base().gzip();
        assertThatThrownBy(() -> new LayerInsightReader(1L << 30, 5).read(TestLayer.source(blob, (Digest) null, new AtomicInteger())))
                .isInstanceOfSatisfying(AnalysisException.class,
                        e -> assertThat(e.reason()).isEqualTo(AnalysisException.Reason.TOO_LARGE));
        assertThatThrownBy(() -> new LayerInsightReader(100, 1000).read(TestLayer.source(blob, (Digest) null, new AtomicInteger())))
                .as("more uncompressed bytes than allowed").isInstanceOf(AnalysisException.class);
    }

    @Test
    void aThreeLayerImageHasTheFiguresComputedByHand() throws Exception {
        ImageInsight image = image();
        assertThat(image.status()).isEqualTo("COMPLETE");
        assertThat(image.totalFileBytes()).isEqualTo(1588 + 6180 + 150);
        // wasted: base 100 (config) + 1000 (tool) + 400 (tmp/cache.bin) + 50 + 30 (doc/*); middle 5000 (big.dat)
        // + 120 (config); top 10 (the first app/run.sh)
        assertThat(image.wastedBytes()).isEqualTo(1580 + 5120 + 10);
        assertThat(image.visibleBytes()).as("os-release, tool, readme, config, run.sh").isEqualTo(8 + 1000 + 60 + 120 + 20);
        assertThat(image.duplicateBytes()).as("tool re-added by the middle layer, config by the top one").isEqualTo(1120);
        assertThat(image.efficiency()).isCloseTo(1208.0 / 7918.0, org.assertj.core.data.Offset.offset(1e-12));
        List<LayerFigures> l = image.layers();
        assertThat(l).extracting(LayerFigures::wastedBytes).containsExactly(1580L, 5120L, 10L);
        assertThat(l).extracting(LayerFigures::entries).containsExactly(9L, 7L, 3L);
        assertFigures(l.get(0), 7, 1588, 0, 0, 0, 0, 0, 0);
        assertFigures(l.get(1), 2, 5000, 3, 120 + 1000 + 60, 2, 400 + 30, 1, 1000);
        assertFigures(l.get(2), 1, 20, 1, 120, 1, 5000, 1, 120);
        assertThat(image.biggestWaste()).as("every wasted file but the top's shadowed copy, largest first")
                .containsExactly(new ImageInsight.WastedFile("app/big.dat", 1, 5000, 2, true),
                        new ImageInsight.WastedFile("usr/bin/tool", 0, 1000, 1, false),
                        new ImageInsight.WastedFile("tmp/cache.bin", 0, 400, 1, true),
                        new ImageInsight.WastedFile("etc/config", 1, 120, 2, false),
                        new ImageInsight.WastedFile("etc/config", 0, 100, 1, false),
                        new ImageInsight.WastedFile("usr/share/doc/readme", 0, 50, 1, false),
                        new ImageInsight.WastedFile("usr/share/doc/license", 0, 30, 1, true));
    }

    private static void assertFigures(LayerFigures f, long added, long addedBytes, long modified, long modifiedBytes,
                                      long removed, long removedBytes, long duplicates, long duplicateBytes) {
        assertThat(List.of(f.added(), f.addedBytes(), f.modified(), f.modifiedBytes(), f.removed(), f.removedBytes(),
                f.duplicates(), f.duplicateBytes())).as("layer %d", f.index()).containsExactly(added, addedBytes,
                modified, modifiedBytes, removed, removedBytes, duplicates, duplicateBytes);
    }

    @Test
    void anImageWithoutFileBytesIsFullyEfficient() throws Exception {
        byte[] blob = new TestLayer().dir("etc").symlink("bin", "usr/bin").gzip();
        ImageInsight image = ImageFigures.compute(Digest.sha256Of(blob),
                List.of(new ImageFigures.ReadLayer(Digest.sha256Of(blob), blob.length, read(blob))));
        assertThat(image.efficiency()).isEqualTo(1.0);
        assertThat(image.layers().getFirst().added()).as("the symlink; directories are not counted").isEqualTo(1);
    }

    @Test
    void aLayerOfManyFilesIsStoredAsBoundedChunksAndItsTreeIsPaged() throws Exception {
        TestLayer big = new TestLayer();
        for (int i = 0; i < 10_000; i++) {
            big.file("data/f" + String.format("%05d", i), "");
        }
        byte[] blob = big.gzip();
        LayerEntries read = new LayerInsightReader(1L << 30, 20_000).read(TestLayer.source(blob, (Digest) null, new AtomicInteger()));
        assertThat(read.entries()).hasSize(10_000);
        var chunks = EntryChunks.encode(read.entries(), 4096);
        assertThat(chunks).extracting(c -> EntryChunks.decode(c.data()).size()).containsExactly(4096, 4096, 1808);
        assertThat(chunks.get(1).firstPath()).isEqualTo("data/f04096");
        assertThat(chunks.get(1).lastPath()).isEqualTo("data/f08191");
        LayerInsight record = new LayerInsight(Digest.sha256Of(blob), LayerRecords.FORMAT, InsightIndex.Status.COMPLETE,
                null, read.entries().size(), 0, 0, chunks.size(), Instant.EPOCH);
        InsightIndex index = new InMemoryMetadataStore().insights();
        index.putLayerInsight(record, chunks);
        LayerRecords records = new LayerRecords(index, null, InsightSettings.DEFAULTS, Clock.systemUTC());
        String[] next = new String[1];
        assertThat(tree(records, List.of(record), "data", "f04999", 3, next))
                .containsExactly("f05000 FILE ADDED 0", "f05001 FILE ADDED 0", "f05002 FILE ADDED 0");
        assertThat(next[0]).isEqualTo("f05002");
        assertThat(tree(records, List.of(record), "", null, 10, next)).containsExactly("data DIRECTORY ADDED 0");
    }

    @Test
    void aChunkAlsoEndsByBytesSoLongPathsCannotMakeAHugeRow() throws Exception {
        List<InsightEntry> entries = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            entries.add(new InsightEntry(i + "/" + "n".repeat(300_000), Type.FILE, i, new byte[16], null));
        }
        var chunks = EntryChunks.encode(entries, 4096);
        assertThat(chunks).extracting(c -> EntryChunks.decode(c.data()).size()).as("1 MiB is passed by the fourth path")
                .containsExactly(4, 2);
        assertThat(EntryChunks.decode(chunks.get(1).data()).get(1)).usingRecursiveComparison().isEqualTo(entries.get(5));
    }

    /** Stores the three layers in chunks of two entries, as the job does, and reads trees back from them. */
    private static List<LayerInsight> stored(LayerRecords records, InsightIndex index) throws Exception {
        List<LayerInsight> out = new ArrayList<>();
        for (TestLayer l : List.of(base(), middle(), top())) {
            byte[] blob = l.gzip();
            LayerEntries e = read(blob);
            var chunks = EntryChunks.encode(e.entries(), 2);
            LayerInsight r = new LayerInsight(Digest.sha256Of(blob), LayerRecords.FORMAT, InsightIndex.Status.COMPLETE,
                    null, e.entries().size(), e.fileBytes(), e.shadowedBytes(), chunks.size(), Instant.EPOCH);
            index.putLayerInsight(r, chunks);
            out.add(r);
        }
        assertThat(records.entries(out.get(1)).entries()).as("chunks decode to what was read")
                .usingRecursiveFieldByFieldElementComparator().isEqualTo(read(middle().gzip()).entries());
        return out;
    }

    private static List<String> tree(LayerRecords records, List<LayerInsight> layers, String dir, String after,
                                     int limit, String[] next) {
        return new LayerTree(LayerTree.directory(dir)).page(records, layers, after, limit, next).stream()
                .map(n -> n.name() + " " + n.type() + " " + n.change() + " " + n.size()).toList();
    }

    @Test
    void aLayersTreeShowsWhatItAddsModifiesAndRemovesBelowADirectoryPaged() throws Exception {
        InsightIndex index = new InMemoryMetadataStore().insights();
        LayerRecords records = new LayerRecords(index, null, InsightSettings.DEFAULTS, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));
        List<LayerInsight> layers = stored(records, index);
        String[] next = new String[1];
        assertThat(tree(records, layers.subList(0, 2), "", null, 2, next))
                .containsExactly("app DIRECTORY ADDED 5000", "etc DIRECTORY MODIFIED 120");
        assertThat(next[0]).isEqualTo("etc");
        next[0] = null;
        assertThat(tree(records, layers.subList(0, 2), "", "etc", 2, next))
                .containsExactly("tmp DIRECTORY REMOVED 400", "usr DIRECTORY MODIFIED 1060");
        assertThat(next[0]).isNull();
        assertThat(tree(records, layers.subList(0, 2), "/usr/share/doc/", null, 10, next))
                .containsExactly("license FILE REMOVED 30", "readme FILE MODIFIED 60");
        assertThat(tree(records, layers.subList(0, 2), "usr/share", null, 10, next))
                .containsExactly("doc DIRECTORY MODIFIED 60");
        assertThat(tree(records, layers, "app", null, 10, next))
                .containsExactly("big.dat FILE REMOVED 5000", "run.sh FILE ADDED 20");
        assertThatThrownBy(() -> LayerTree.directory("usr/../../etc"))
                .isInstanceOf(io.wharf.core.error.ParameterInvalidException.class);
        assertThat(tree(records, layers.subList(0, 1), "", null, 10, next)).containsExactly("bin SYMLINK ADDED 0",
                "etc DIRECTORY ADDED 108", "tmp DIRECTORY ADDED 400", "usr DIRECTORY ADDED 1080");
    }

    @Test
    void aLayersFilesThatAHigherLayerReplacesOrRemovesAreMarkedWasted() throws Exception {
        InsightIndex index = new InMemoryMetadataStore().insights();
        LayerRecords records = new LayerRecords(index, null, InsightSettings.DEFAULTS, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));
        List<LayerInsight> layers = stored(records, index);
        String[] next = new String[1];
        assertThat(wasted(records, layers, 1, "app")).as("big.dat whited out above, the link stays")
                .containsExactly("big.dat FILE ADDED wasted", "link HARDLINK ADDED");
        assertThat(wasted(records, layers, 1, "etc")).as("config written again above")
                .containsExactly("config FILE MODIFIED wasted");
        assertThat(wasted(records, layers, 1, "usr/bin")).containsExactly("tool FILE MODIFIED");
        assertThat(wasted(records, layers, 0, "etc")).containsExactly("config FILE ADDED wasted",
                "os-release FILE ADDED");
        assertThat(wasted(records, layers, 2, "app")).as("the top's last run.sh is what the image shows")
                .containsExactly("big.dat FILE REMOVED", "run.sh FILE ADDED");
        assertThat(new LayerTree("").page(records, layers, 0, null, 10, next)).as("directories are never marked")
                .noneMatch(TreePage.Node::wasted);
    }

    private static List<String> wasted(LayerRecords records, List<LayerInsight> layers, int index, String dir) {
        return new LayerTree(LayerTree.directory(dir)).page(records, layers, index, null, 10, new String[1]).stream()
                .map(n -> n.name() + " " + n.type() + " " + n.change() + (n.wasted() ? " wasted" : "")).toList();
    }
}
