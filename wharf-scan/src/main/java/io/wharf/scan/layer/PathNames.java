package io.wharf.scan.layer;

import java.util.ArrayList;
import java.util.List;

/** Normalizes tar entry names to image-root-relative paths; names that climb out of the root are refused. */
public final class PathNames {

    private PathNames() {
    }

    /**
     * {@code ./a//b/} and {@code /a/b} become {@code a/b}; {@code .} segments are dropped. A name with a
     * {@code ..} segment, a NUL or nothing left is refused: null (the reader ignores such entries).
     */
    public static String normalize(String name) {
        if (name == null || name.indexOf('\0') >= 0) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        for (String segment : name.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                return null;
            }
            parts.add(segment);
        }
        return parts.isEmpty() ? null : String.join("/", parts);
    }

    /**
     * Where a symlink at {@code linkPath} pointing to {@code target} leads: absolute targets start at the
     * image root, relative ones at the link's directory; {@code ..} may not climb above the root (clamped,
     * as the kernel does for {@code /..}). Null when nothing is left.
     */
    public static String resolveLink(String linkPath, String target) {
        List<String> parts = new ArrayList<>();
        if (!target.startsWith("/")) {
            String[] base = linkPath.split("/");
            for (int i = 0; i < base.length - 1; i++) {
                parts.add(base[i]);
            }
        }
        for (String segment : target.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                if (!parts.isEmpty()) {
                    parts.removeLast();
                }
                continue;
            }
            parts.add(segment);
        }
        return parts.isEmpty() ? null : String.join("/", parts);
    }

    /** The parent directory of a normalized path, or "" at the root. */
    public static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }
}
