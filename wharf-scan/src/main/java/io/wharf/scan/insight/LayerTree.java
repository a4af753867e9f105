package io.wharf.scan.insight;

import io.wharf.core.error.ParameterInvalidException;
import io.wharf.scan.insight.InsightEntry.Type;
import io.wharf.scan.insight.LayerStack.Node;
import io.wharf.scan.layer.PathNames;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

/**
 * The children of one directory as layer {@code index} of an image changes them: the layers below are laid on a
 * {@link LayerStack} (only the entries that can matter for the directory: its ancestors and what lies below it),
 * then the layer's changes under the directory are grouped by child.
 */
final class LayerTree {

    /** What the layer does at and below one child. */
    private static final class Child {
        Node before;
        Node after;
        boolean self;
        boolean changedBelow;
        long bytesBelow;
        long removedBelow;
    }

    private final String dir;
    private final String prefix;

    /** @param dir normalized, "" for the root */
    LayerTree(String dir) {
        this.dir = dir;
        this.prefix = dir.isEmpty() ? "" : dir + "/";
    }

    /** A directory as asked for, normalized: "" (or "/", or null) is the root; {@code ..} is refused. */
    static String directory(String path) {
        if (path == null || path.isEmpty() || path.equals("/")) {
            return "";
        }
        String dir = PathNames.normalize(path);
        if (dir == null) {
            throw new ParameterInvalidException("path must be a directory of the image, not '" + path + "'", path);
        }
        return dir;
    }

    /** Whether an entry at {@code path} can change what lies below the directory. */
    boolean relevant(String path) {
        return dir.isEmpty() || path.startsWith(prefix) || path.equals(dir) || dir.startsWith(path + "/");
    }

    /** Whether a chunk with paths in [first, last] may hold a relevant entry (ancestors sort before the directory). */
    boolean overlaps(String first, String last) {
        if (dir.isEmpty()) {
            return true;
        }
        int slash = dir.indexOf('/');
        String top = slash < 0 ? dir : dir.substring(0, slash);
        return first.compareTo(dir + "0") < 0 && last.compareTo(top) >= 0;
    }

    /** As {@link #page(LayerRecords, List, int, String, int, String[])} for the last of {@code layers}. */
    List<TreePage.Node> page(LayerRecords records, List<io.wharf.core.spi.InsightIndex.LayerInsight> layers,
                             String after, int limit, String[] next) {
        return page(records, layers, layers.size() - 1, after, limit, next);
    }

    /**
     * The page of the children as layer {@code index} of {@code layers} (bottom first, all COMPLETE) changes them,
     * reading only the chunks and entries that can matter for the directory; the layers above it tell which of its
     * files are wasted.
     */
    List<TreePage.Node> page(LayerRecords records, List<io.wharf.core.spi.InsightIndex.LayerInsight> layers, int index,
                             String after, int limit, String[] next) {
        List<List<InsightEntry>> all = new ArrayList<>();
        for (var r : layers) {
            all.add(records.entries(r, c -> overlaps(c.firstPath(), c.lastPath()), this::relevant));
        }
        return children(all.subList(0, index), all.get(index), all.subList(index + 1, all.size()), after, limit, next);
    }

    /** As {@link #children(List, List, List, String, int, String[])} with no layer above. */
    List<TreePage.Node> children(List<List<InsightEntry>> lower, List<InsightEntry> own, String after, int limit,
                                 String[] next) {
        return children(lower, own, List.of(), after, limit, next);
    }

    /** The children, by name, after {@code after} (null: from the first), at most {@code limit}. */
    List<TreePage.Node> children(List<List<InsightEntry>> lower, List<InsightEntry> own,
                                 List<List<InsightEntry>> upper, String after, int limit, String[] next) {
        LayerStack stack = new LayerStack();
        for (int i = 0; i < lower.size(); i++) {
            stack.apply(i, lower.get(i), LayerStack.Changes.NONE);
        }
        Set<String> existed = new HashSet<>();
        for (String path : stack.view().keySet()) {
            if (path.startsWith(prefix) && path.length() > prefix.length()) {
                existed.add(segment(path));
            }
        }
        TreeMap<String, Child> children = new TreeMap<>();
        stack.apply(lower.size(), own, (path, before, now) -> record(children, path, before, now));
        for (InsightEntry e : own) {
            if (e.type() == Type.DIRECTORY && e.path().startsWith(prefix) && e.path().length() > prefix.length()) {
                children.computeIfAbsent(segment(e.path()), s -> new Child());
            }
        }
        for (int i = 0; i < upper.size(); i++) {
            stack.apply(lower.size() + 1 + i, upper.get(i), LayerStack.Changes.NONE);
        }
        NavigableMap<String, Node> shown = stack.view();
        List<TreePage.Node> page = new ArrayList<>();
        var view = after == null ? children : children.tailMap(after, false);
        for (var e : view.entrySet()) {
            if (page.size() == limit) {
                next[0] = page.getLast().name();
                break;
            }
            page.add(node(e.getKey(), e.getValue(), existed.contains(e.getKey()), shown));
        }
        return page;
    }

    private void record(TreeMap<String, Child> children, String path, Node before, Node now) {
        if (!path.startsWith(prefix) || path.length() == prefix.length()) {
            return;
        }
        String name = segment(path);
        Child child = children.computeIfAbsent(name, n -> new Child());
        if (path.length() == prefix.length() + name.length()) {
            child.self = true;
            child.before = before;
            child.after = now;
        } else {
            child.changedBelow = true;
            if (now != null) {
                child.bytesBelow += now.fileBytes();
            } else {
                child.removedBelow += before.fileBytes();
            }
        }
    }

    /** @param shown the image's final file system (as far as the directory goes) */
    private TreePage.Node node(String name, Child c, boolean existed, NavigableMap<String, Node> shown) {
        String path = prefix + name;
        if (!c.self) {
            String change = !existed ? "ADDED" : c.changedBelow ? "MODIFIED" : "UNCHANGED";
            return new TreePage.Node(name, path, Type.DIRECTORY.name(), change, c.bytesBelow, null, false);
        }
        if (c.after == null) {
            return new TreePage.Node(name, path, c.before.type().name(), "REMOVED", c.before.fileBytes() + c.removedBelow,
                    c.before.entry().target(), false);
        }
        String change = c.before == null ? "ADDED" : "MODIFIED";
        boolean wasted = c.after.type() != Type.DIRECTORY && !c.after.equals(shown.get(path));
        return new TreePage.Node(name, path, c.after.type().name(), change, c.after.fileBytes() + c.bytesBelow,
                c.after.entry().target(), wasted);
    }

    private String segment(String path) {
        String rest = path.substring(prefix.length());
        int slash = rest.indexOf('/');
        return slash < 0 ? rest : rest.substring(0, slash);
    }
}
