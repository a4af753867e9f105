package io.wharf.scan.insight;

import io.wharf.core.model.Digest;
import io.wharf.scan.insight.InsightEntry.Type;
import io.wharf.scan.insight.LayerStack.Node;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/** Lays an image's read layers on a {@link LayerStack} and counts what each adds, modifies, removes and wastes. */
final class ImageFigures {

    /** A read layer of the image: the manifest's descriptor and what its record holds. */
    record ReadLayer(Digest digest, long size, LayerEntries entries) {
    }

    /** The counters of one layer, filled as the layers above it are laid. */
    private static final class Counts {
        long added, modified, removed, addedBytes, modifiedBytes, removedBytes, duplicates, duplicateBytes, wasted;
    }

    private ImageFigures() {
    }

    static ImageInsight compute(Digest image, List<ReadLayer> layers) {
        LayerStack stack = new LayerStack();
        List<Counts> counts = new ArrayList<>();
        PriorityQueue<ImageInsight.WastedFile> biggest = new PriorityQueue<>(BY_SIZE);
        for (int i = 0; i < layers.size(); i++) {
            Counts own = new Counts();
            own.wasted = layers.get(i).entries().shadowedBytes();
            counts.add(own);
            int index = i;
            stack.apply(i, layers.get(i).entries().entries(), (path, before, after) -> {
                count(own, counts, before, after);
                keepBiggest(biggest, path, before, after, index);
            });
        }
        long visible = stack.view().values().stream().mapToLong(Node::fileBytes).sum();
        List<LayerFigures> figures = new ArrayList<>();
        long total = 0;
        long duplicates = 0;
        for (int i = 0; i < layers.size(); i++) {
            ReadLayer l = layers.get(i);
            Counts c = counts.get(i);
            figures.add(new LayerFigures(i, l.digest(), l.size(), ImageInsight.COMPLETE, null, l.entries().entries().size(),
                    l.entries().fileBytes(), c.added, c.modified, c.removed, c.addedBytes, c.modifiedBytes,
                    c.removedBytes, c.duplicates, c.duplicateBytes, c.wasted));
            total += l.entries().fileBytes();
            duplicates += c.duplicateBytes;
        }
        double efficiency = total == 0 ? 1.0 : (double) visible / total;
        List<ImageInsight.WastedFile> waste = new ArrayList<>(biggest);
        waste.sort(BY_SIZE.reversed());
        return new ImageInsight(image, ImageInsight.COMPLETE, null, figures, total, visible, total - visible, duplicates,
                efficiency, List.of(), waste);
    }

    /** Smallest first (the heap's head is the one to drop), then by path. */
    private static final Comparator<ImageInsight.WastedFile> BY_SIZE = Comparator
            .comparingLong(ImageInsight.WastedFile::size).thenComparing(ImageInsight.WastedFile::path,
                    Comparator.reverseOrder());

    /** Keeps the {@link ImageInsight#BIGGEST_WASTE} largest files that a layer replaces or removes. */
    private static void keepBiggest(PriorityQueue<ImageInsight.WastedFile> biggest, String path, Node before,
                                    Node after, int index) {
        if (before == null || before.fileBytes() == 0) {
            return;
        }
        biggest.add(new ImageInsight.WastedFile(path, before.layer(), before.fileBytes(), index, after == null));
        if (biggest.size() > ImageInsight.BIGGEST_WASTE) {
            biggest.poll();
        }
    }

    private static void count(Counts own, List<Counts> all, Node before, Node after) {
        if (before != null) {
            all.get(before.layer()).wasted += before.fileBytes();
        }
        if (directoryOrNone(before) && directoryOrNone(after)) {
            return; // directories are not counted; what changes below them is
        }
        if (after == null) {
            own.removed++;
            own.removedBytes += before.fileBytes();
        } else if (before == null) {
            own.added++;
            own.addedBytes += after.fileBytes();
        } else {
            own.modified++;
            own.modifiedBytes += after.fileBytes();
            if (duplicate(before, after)) {
                own.duplicates++;
                own.duplicateBytes += after.fileBytes();
            }
        }
    }

    private static boolean directoryOrNone(Node node) {
        return node == null || node.type() == Type.DIRECTORY;
    }

    static boolean duplicate(Node before, Node after) {
        return before.type() == Type.FILE && after.type() == Type.FILE && before.entry().size() == after.entry().size()
                && Arrays.equals(before.entry().hash(), after.entry().hash());
    }
}
