package io.wharf.scan.layer;

import static io.wharf.scan.layer.ImageAnalyzerTest.LIMITS;
import static io.wharf.scan.layer.ImageAnalyzerTest.stanza;
import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.scan.catalog.OsCatalogers;
import io.wharf.scan.model.FoundPackage;
import io.wharf.scan.model.ImageInventory;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** OCI whiteout semantics over real layers: what each image shows and where each package came from. */
class WhiteoutMergeTest {

    private ImageInventory analyze(TestLayer... layers) throws Exception {
        AtomicInteger opens = new AtomicInteger();
        return new ImageAnalyzer(OsCatalogers.all(), new MapLayerCache(), LIMITS)
                .analyze(Arrays.stream(layers).map(l -> TestLayer.source(l.gzip(), l.tar(), opens)).toList());
    }

    private static List<String> visible(ImageInventory inventory) {
        return inventory.packages().stream().map(f -> f.pkg().name() + "@" + f.layerIndex()).toList();
    }

    @Test
    void whiteoutRemovesAStatusDFileOfALowerLayer() throws Exception {
        ImageInventory inventory = analyze(
                new TestLayer().file("var/lib/dpkg/status.d/a", stanza("a", "1"))
                        .file("var/lib/dpkg/status.d/b", stanza("b", "1")),
                new TestLayer().whiteout("var/lib/dpkg/status.d/a"));
        assertThat(visible(inventory)).containsExactly("b@0");
    }

    @Test
    void whiteoutOfADirectoryRemovesEverythingUnderIt() throws Exception {
        ImageInventory inventory = analyze(
                new TestLayer().file("var/lib/dpkg/status.d/a", stanza("a", "1"))
                        .file("lib/apk/db/installed", "P:musl\nV:1.2.4-r4\n"),
                new TestLayer().whiteout("var/lib/dpkg/status.d"));
        assertThat(visible(inventory)).containsExactly("musl@0");
    }

    @Test
    void opaqueDirectoryHidesLowerLayersButNotItsOwn() throws Exception {
        ImageInventory inventory = analyze(
                new TestLayer().file("var/lib/dpkg/status", stanza("old", "1"))
                        .file("var/lib/dpkg/status.d/gone", stanza("gone", "1")),
                new TestLayer().opaque("var/lib/dpkg").file("var/lib/dpkg/status.d/new", stanza("new", "2")));
        assertThat(visible(inventory)).containsExactly("new@1");
    }

    @Test
    void whiteoutDoesNotHideTheSameLayersEntryWhateverTheTarOrder() throws Exception {
        ImageInventory inventory = analyze(
                new TestLayer().file("var/lib/dpkg/status.d/a", stanza("a", "1")),
                new TestLayer().file("var/lib/dpkg/status.d/a", stanza("a", "2"))
                        .whiteout("var/lib/dpkg/status.d/a"));
        assertThat(inventory.packages()).extracting(f -> f.pkg().version()).containsExactly("2");
    }

    @Test
    void markersAreNeverVisible() throws Exception {
        ImageInventory inventory = analyze(new TestLayer().opaque("var/lib/dpkg/status.d")
                .whiteout("var/lib/dpkg/status.d/x").file("var/lib/dpkg/status.d/y", stanza("y", "1")));
        assertThat(visible(inventory)).containsExactly("y@0");
        assertThat(inventory.packages()).allMatch(f -> !f.pkg().filePath().contains(".wh."));
    }

    @Test
    void aRewrittenStatusFileReplacesTheLowerPackagesAsAWhole() throws Exception {
        ImageInventory inventory = analyze(
                new TestLayer().file("var/lib/dpkg/status", stanza("a", "1") + "\n" + stanza("b", "1")),
                new TestLayer().file("var/lib/dpkg/status", stanza("a", "1") + "\n" + stanza("c", "1")));
        assertThat(visible(inventory)).containsExactly("a@0", "c@1");
    }

    @Test
    void packageAddedRemovedAndReAddedComesFromItsFirstLayer() throws Exception {
        ImageInventory inventory = analyze(
                new TestLayer().file("var/lib/dpkg/status", stanza("base", "1") + "\n" + stanza("curl", "7")),
                new TestLayer().file("var/lib/dpkg/status", stanza("base", "1")),
                new TestLayer().file("var/lib/dpkg/status", stanza("base", "1") + "\n" + stanza("curl", "7")));
        assertThat(visible(inventory)).containsExactly("base@0", "curl@0");
        FoundPackage curl = inventory.packages().get(1);
        assertThat(curl.pkg().filePath()).isEqualTo("var/lib/dpkg/status");
        ImageInventory removed = analyze(
                new TestLayer().file("var/lib/dpkg/status", stanza("base", "1") + "\n" + stanza("curl", "7")),
                new TestLayer().file("var/lib/dpkg/status", stanza("base", "1")));
        assertThat(visible(removed)).containsExactly("base@0");
    }

    @Test
    void theSamePackageInTwoFilesIsListedOnceFromTheAlphabeticallyFirstPath() throws Exception {
        ImageInventory inventory = analyze(new TestLayer()
                .file("var/lib/dpkg/status.d/zz", stanza("dup", "1"))
                .file("var/lib/dpkg/status", stanza("dup", "1") + "\n" + stanza("apt", "2")));
        assertThat(inventory.packages()).extracting(f -> f.pkg().name() + " " + f.pkg().filePath())
                .containsExactly("apt var/lib/dpkg/status", "dup var/lib/dpkg/status");
    }

    @Test
    void orderIsManagerNameVersion() throws Exception {
        ImageInventory inventory = analyze(new TestLayer()
                .file("lib/apk/db/installed", "P:zlib\nV:1.3-r0\n\nP:abc\nV:1-r0\n")
                .file("var/lib/dpkg/status", stanza("zz", "1") + "\n" + stanza("aa", "2") + "\n" + stanza("aa", "10")));
        assertThat(inventory.packages()).extracting(f -> f.pkg().manager() + ":" + f.pkg().name() + "@" + f.pkg().version())
                .containsExactly("DPKG:aa@10", "DPKG:aa@2", "DPKG:zz@1", "APK:abc@1-r0", "APK:zlib@1.3-r0");
    }

    @Test
    void whiteoutOfOsReleaseFallsBackToUsrLib() throws Exception {
        ImageInventory inventory = analyze(
                new TestLayer().file("etc/os-release", "ID=alpine\nVERSION_ID=3.18.0\n")
                        .file("usr/lib/os-release", "ID=alpine\nVERSION_ID=3.19.1\n"),
                new TestLayer().whiteout("etc/os-release"));
        assertThat(inventory.os().versionId()).isEqualTo("3.19.1");
    }
}
