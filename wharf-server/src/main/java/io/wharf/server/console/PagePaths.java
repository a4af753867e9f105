package io.wharf.server.console;

import io.wharf.server.console.ConsolePath.Kind;

/**
 * The paths of the gallery and the layer insight pages, taken apart as {@link ConsolePath} does (texts still
 * unparsed). The gallery's pages are the console's only ones anyone may read; a layer's tree names the layer, the
 * directory and the page in its query ({@code layer}, {@code path}, {@code after}).
 *
 * <pre>
 * /console/gallery                                               GALLERY
 * /console/gallery/&lt;name&gt;                                        GALLERY_REPOSITORY
 * /console/repositories/&lt;name&gt;/-/images/&lt;digest&gt;/insight       INSIGHT
 * /console/repositories/&lt;name&gt;/-/images/&lt;digest&gt;/insight/tree  INSIGHT_TREE
 * </pre>
 */
final class PagePaths {
    private static final String GALLERY = ConsolePath.PREFIX + "gallery";
    private static final String REPOSITORIES = ConsolePath.PREFIX + "repositories/";
    private static final String SEPARATOR = "/-/images/";
    private static final String INSIGHT = "/insight";
    private static final String TREE = "/insight/tree";

    private PagePaths() {
    }

    /** Null when the path is none of these pages. */
    static ConsolePath parse(String rawPath) {
        if (rawPath.equals(GALLERY) || rawPath.equals(GALLERY + "/")) {
            return new ConsolePath(Kind.GALLERY, null, null);
        }
        if (rawPath.startsWith(GALLERY + "/")) {
            return new ConsolePath(Kind.GALLERY_REPOSITORY, rawPath.substring(GALLERY.length() + 1), null);
        }
        if (!rawPath.startsWith(REPOSITORIES)) {
            return null;
        }
        String rest = rawPath.substring(REPOSITORIES.length());
        int sep = rest.indexOf(SEPARATOR);
        if (sep <= 0) {
            return null;
        }
        String tail = rest.substring(sep + SEPARATOR.length());
        Kind kind = tail.endsWith(TREE) ? Kind.INSIGHT_TREE : tail.endsWith(INSIGHT) ? Kind.INSIGHT : null;
        if (kind == null) {
            return null;
        }
        String digest = tail.substring(0, tail.length() - (kind == Kind.INSIGHT_TREE ? TREE : INSIGHT).length());
        return digest.isEmpty() || digest.contains("/") ? new ConsolePath(Kind.UNKNOWN, null, null)
                : new ConsolePath(kind, rest.substring(0, sep), digest);
    }

    /** Whether anyone may read the page, signed in or not (no session is started for it). */
    static boolean isPublic(Kind kind) {
        return kind == Kind.GALLERY || kind == Kind.GALLERY_REPOSITORY;
    }

    static String gallery() {
        return GALLERY;
    }

    static String galleryRepository(String name) {
        return GALLERY + "/" + name;
    }

    static String insight(String name, String digest) {
        return ConsolePath.image(name, digest) + INSIGHT;
    }

    static String tree(String name, String digest) {
        return ConsolePath.image(name, digest) + TREE;
    }
}
