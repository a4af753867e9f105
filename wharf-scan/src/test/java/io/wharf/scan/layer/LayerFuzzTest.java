package io.wharf.scan.layer;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.wharf.core.model.Digest;
import io.wharf.scan.catalog.LanguageCatalogers;
import io.wharf.scan.catalog.OsCatalogers;
import io.wharf.scan.catalog.lang.LanguageLimits;
import io.wharf.scan.model.FoundPackage;
import io.wharf.scan.model.ImageInventory;
import io.wharf.scan.model.OsRelease;
import io.wharf.scan.model.Pkg;
import io.wharf.scan.version.VersionScheme;
import io.wharf.scan.version.VersionSchemes;
import io.wharf.scan.vuln.Ecosystems;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuzz target of the scanner's layer reader (docs/security.md#fuzzing): the bytes are a pushed layer blob (tar, in
 * gzip, zstd or as it is, with whiteouts, links, PAX and GNU long names), read by {@link LayerReader} with every OS
 * and language cataloger, then merged into an inventory as {@link ImageAnalyzer} does. A damaged or oversized layer
 * is refused with {@link AnalysisException}; an {@link IOException} (the blob is in memory, so no storage failure)
 * or any other exception is a bug, as is a hang. Properties: a plain tar's diffID is the hash of its bytes, the
 * analysis survives the layer cache's encoding unchanged, every package in the inventory comes from a file of the
 * analysis, and its advisory lookup ({@link Ecosystems#of}, from the layer's os-release) and version order work on
 * it. Small limits keep each input's work bounded. Seeds: {@code LayerFuzzTestInputs/layers/}.
 */
class LayerFuzzTest {
    private static final ImageAnalyzer.Limits LIMITS = new ImageAnalyzer.Limits(64 << 10, 1L << 30, 4 << 20);
    private static final int MAX_RECORDS = 1000;
    private static final LayerReader READER = new LayerReader(catalogers(), LIMITS, MAX_RECORDS);

    @FuzzTest
    void layers(byte[] blob) throws IOException {
        LayerSource source = new LayerSource(Digest.sha256Of(blob), "application/vnd.oci.image.layer.v1.tar",
                blob.length, null, () -> new ByteArrayInputStream(blob));
        LayerAnalysis analysis;
        try {
            analysis = READER.read(source);
        } catch (AnalysisException refused) {
            return; // the scan reports the image UNREADABLE or TOO_LARGE
        }
        if (!compressed(blob)) {
            assertThat(analysis.diffId()).isEqualTo(Digest.sha256Of(blob).toString());
        }
        assertThat(ImageAnalyzer.decode(ImageAnalyzer.encode(analysis))).isEqualTo(analysis);
        LayerMerger merger = new LayerMerger();
        merger.apply(0, analysis);
        ImageInventory inventory = merger.inventory(List.of(analysis), List.of(source));
        for (FoundPackage found : inventory.packages()) {
            assertThat(analysis.files().values()).anySatisfy(pkgs -> assertThat(pkgs).contains(found.pkg()));
            matchable(inventory.os(), found.pkg());
        }
    }

    /** What the vulnerability matcher does first with a package: its advisory lookup, its version in that order. */
    private static void matchable(OsRelease os, Pkg pkg) {
        Ecosystems.of(os, pkg).ifPresent(lookup -> {
            VersionScheme scheme = VersionSchemes.forEcosystem(lookup.ecosystem());
            assertThat(scheme.compare(lookup.version(), lookup.version())).isZero();
        });
    }

    private static boolean compressed(byte[] blob) {
        boolean gzip = blob.length >= 2 && (blob[0] & 0xff) == 0x1f && (blob[1] & 0xff) == 0x8b;
        boolean zstd = blob.length >= 4 && (blob[0] & 0xff) == 0x28 && (blob[1] & 0xff) == 0xb5
                && (blob[2] & 0xff) == 0x2f && (blob[3] & 0xff) == 0xfd;
        return gzip || zstd;
    }

    /** Every cataloger the scanner runs, with caps small enough for a fuzzing run. */
    private static List<Cataloger> catalogers() {
        List<Cataloger> all = new ArrayList<>(OsCatalogers.all());
        all.addAll(LanguageCatalogers.all(new LanguageLimits(64 << 10, 1 << 20, 3, 1 << 20)));
        return all;
    }
}
