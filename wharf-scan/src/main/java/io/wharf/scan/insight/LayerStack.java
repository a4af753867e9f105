package io.wharf.scan.insight;

import io.wharf.scan.insight.InsightEntry.Type;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The image's file system as layers are laid on it bottom-up with OCI whiteout semantics, reporting each change a
 * layer makes: a whiteout removes its path and everything below it, an opaque marker everything below its
 * directory, a non-directory put over a directory hides what was below that directory; then the layer's own
 * entries go on top. A directory declared again over a directory is no change.
 */
final class LayerStack {

    /** What a path holds: put there by layer {@code layer}. */
    record Node(int layer, InsightEntry entry) {
        Type type() {
            return entry.type();
        }

        long fileBytes() {
            return entry.type() == Type.FILE ? entry.size() : 0;
        }
    }

    /** Hears each change: {@code before} null = added, {@code after} null = removed, both = modified. */
    @FunctionalInterface
    interface Changes {
        void change(String path, Node before, Node after);

        Changes NONE = (path, before, after) -> { };
    }

    private final NavigableMap<String, Node> view = new TreeMap<>();

    /** Lays layer {@code index}'s entries (path-ordered) on the stack. */
    void apply(int index, List<InsightEntry> entries, Changes changes) {
        Map<String, Node> removed = new LinkedHashMap<>();
        for (InsightEntry e : entries) {
            if (e.type() == Type.OPAQUE) {
                removeBelow(e.path(), removed);
            } else if (e.type() == Type.WHITEOUT) {
                Node gone = view.remove(e.path());
                if (gone != null) {
                    removed.put(e.path(), gone);
                }
                removeBelow(e.path(), removed);
            }
        }
        for (InsightEntry e : entries) {
            if (!e.type().removes()) {
                put(index, e, removed, changes);
            }
        }
        removed.forEach((path, node) -> changes.change(path, node, null));
    }

    private void put(int index, InsightEntry e, Map<String, Node> removed, Changes changes) {
        Node before = view.get(e.path());
        if (before == null) {
            before = removed.remove(e.path());
        }
        Node after = new Node(index, e);
        view.put(e.path(), after);
        if (before != null && before.type() == Type.DIRECTORY) {
            if (e.type() == Type.DIRECTORY) {
                return;
            }
            removeBelow(e.path(), removed);
        }
        changes.change(e.path(), before, after);
    }

    private void removeBelow(String dir, Map<String, Node> removed) {
        NavigableMap<String, Node> below = dir.isEmpty() ? view : view.subMap(dir + "/", true, dir + "0", false);
        removed.putAll(below);
        below.clear();
    }

    /** What the stack holds now, path-ordered. */
    NavigableMap<String, Node> view() {
        return view;
    }
}
