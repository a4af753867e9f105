package io.wharf.scan.insight;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.wharf.core.model.Digest;
import io.wharf.core.spi.InsightIndex.Chunk;
import io.wharf.scan.layer.AnalysisException;
import io.wharf.scan.layer.LayerSource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Fuzz target of layer insight (docs/security.md#fuzzing): the bytes are a pushed layer blob, read by
 * {@link LayerInsightReader} into its entries, stored as chunks ({@link EntryChunks}) and laid twice on an image's
 * stack ({@link ImageFigures}). A damaged or oversized layer is refused with {@link AnalysisException}; an
 * {@link IOException} (the blob is in memory) or any other exception is a bug, as is a hang. Properties: the entries
 * are path-ordered with one per path and type, the byte totals add up, the chunks read back to the same entries, and
 * the image figures stay within the layers' bytes. Seeds: {@code LayerInsightFuzzTestInputs/layers/}.
 */
class LayerInsightFuzzTest {
    private static final int MAX_ENTRIES = 1000;
    private static final LayerInsightReader READER = new LayerInsightReader(4 << 20, MAX_ENTRIES);

    @FuzzTest
    void layers(byte[] blob) throws IOException {
        Digest digest = Digest.sha256Of(blob);
        LayerEntries read;
        try {
            read = READER.read(new LayerSource(digest, null, blob.length, null, () -> new ByteArrayInputStream(blob)));
        } catch (AnalysisException refused) {
            return; // stored as an UNREADABLE or TOO_LARGE record
        }
        List<InsightEntry> entries = read.entries();
        assertThat(entries).hasSizeLessThanOrEqualTo(MAX_ENTRIES).isSortedAccordingTo(InsightEntry.ORDER);
        Set<String> keys = new HashSet<>();
        long files = 0;
        for (InsightEntry e : entries) {
            assertThat(keys.add(e.path() + "\0" + e.type())).isTrue();
            files += e.type() == InsightEntry.Type.FILE ? e.size() : 0;
        }
        assertThat(read.fileBytes()).isEqualTo(files + read.shadowedBytes());
        assertThat(decoded(EntryChunks.encode(entries, 7))).isEqualTo(entries.stream().map(LayerInsightFuzzTest::text).toList());
        ImageFigures.ReadLayer layer = new ImageFigures.ReadLayer(digest, blob.length, read);
        ImageInsight image = ImageFigures.compute(digest, List.of(layer, layer));
        assertThat(image.totalFileBytes()).isEqualTo(2 * read.fileBytes());
        assertThat(image.visibleBytes()).isBetween(0L, read.fileBytes());
    }

    private static List<String> decoded(List<Chunk> chunks) throws IOException {
        List<String> out = new ArrayList<>();
        for (Chunk chunk : chunks) {
            EntryChunks.decode(chunk.data()).forEach(e -> out.add(text(e)));
        }
        return out;
    }

    /** An entry as comparable text (a record compares its hash array by identity). */
    private static String text(InsightEntry e) {
        return e.path() + "|" + e.type() + "|" + e.size() + "|" + Arrays.toString(e.hash()) + "|" + e.target();
    }
}
