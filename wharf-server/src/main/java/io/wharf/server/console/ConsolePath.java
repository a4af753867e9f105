package io.wharf.server.console;

/**
 * A console path taken apart: which page, and the repository name and digest it names (still unparsed text;
 * {@link ConsoleCall} turns them into value types), or the static file. Repository names hold slashes, so the parts after a name
 * follow a {@code /-/} separator: no name component can be a lone {@code -}.
 *
 * <pre>
 * /console/                                          REPOSITORIES
 * /console/sign-in, /console/sign-out                SIGN_IN, SIGN_OUT
 * /console/static/&lt;file&gt;                             STATIC
 * /console/repositories/&lt;name&gt;                       IMAGES
 * /console/repositories/&lt;name&gt;/-/images/&lt;digest&gt;         IMAGE
 * /console/repositories/&lt;name&gt;/-/images/&lt;digest&gt;/delete  DELETE_IMAGE
 * </pre>
 * The administration pages' paths (policies, settings, users and keys) are {@link AdminPaths}'s; the gallery's and
 * layer insight's are {@link PagePaths}'s.
 */
record ConsolePath(Kind kind, String name, String digest, String file, String user, String key) {
    static final String PREFIX = "/console/";
    private static final String REPOSITORIES = PREFIX + "repositories/";
    private static final String SEPARATOR = "/-/images/";

    enum Kind {
        REPOSITORIES, SIGN_IN, SIGN_OUT, STATIC, IMAGES, IMAGE, DELETE_IMAGE, UNKNOWN,
        // the administration pages ({@link AdminPaths})
        REPOSITORY_POLICY, DELETE_REPOSITORY_POLICY, LIFECYCLE_POLICY, DELETE_LIFECYCLE_POLICY, LIFECYCLE_PREVIEW,
        SETTINGS, REGISTRY_POLICY, DELETE_REGISTRY_POLICY, USERS, USER, DELETE_USER, USER_POLICY, ACCESS_KEYS, ACCESS_KEY_STATUS, DELETE_ACCESS_KEY,
        // the gallery and layer insight pages ({@link PagePaths})
        GALLERY, GALLERY_REPOSITORY, INSIGHT, INSIGHT_TREE
    }

    /** A page that names no IAM user or access key. */
    ConsolePath(Kind kind, String name, String digest, String file) {
        this(kind, name, digest, file, null, null);
    }

    ConsolePath(Kind kind, String name, String digest) {
        this(kind, name, digest, null);
    }

    /** Null when the path is not the console's. */
    static ConsolePath parse(String rawPath) {
        if (rawPath.equals("/console") || rawPath.equals(PREFIX)) {
            return of(Kind.REPOSITORIES);
        }
        if (!rawPath.startsWith(PREFIX)) {
            return null;
        }
        ConsolePath page = PagePaths.parse(rawPath);
        if (page != null) {
            return page;
        }
        ConsolePath admin = AdminPaths.parse(rawPath);
        if (admin != null) {
            return admin;
        }
        String rest = rawPath.substring(PREFIX.length());
        return switch (rest) {
            case "sign-in" -> of(Kind.SIGN_IN);
            case "sign-out" -> of(Kind.SIGN_OUT);
            default -> rest.startsWith("static/") ? new ConsolePath(Kind.STATIC, null, null, rest.substring(7))
                    : rawPath.startsWith(REPOSITORIES) ? repository(rawPath.substring(REPOSITORIES.length()))
                    : of(Kind.UNKNOWN);
        };
    }

    private static ConsolePath repository(String rest) {
        int sep = rest.indexOf(SEPARATOR);
        if (sep < 0) {
            return rest.isEmpty() ? of(Kind.UNKNOWN) : new ConsolePath(Kind.IMAGES, rest, null, null);
        }
        String name = rest.substring(0, sep);
        String tail = rest.substring(sep + SEPARATOR.length());
        if (tail.endsWith("/delete")) {
            return new ConsolePath(Kind.DELETE_IMAGE, name, tail.substring(0, tail.length() - "/delete".length()), null);
        }
        return tail.contains("/") ? of(Kind.UNKNOWN) : new ConsolePath(Kind.IMAGE, name, tail, null);
    }

    private static ConsolePath of(Kind kind) {
        return new ConsolePath(kind, null, null, null);
    }

    /** The console's URL of a repository's images page. */
    static String images(String name) {
        return REPOSITORIES + name;
    }

    /** The console's URL of an image page. */
    static String image(String name, String digest) {
        return REPOSITORIES + name + SEPARATOR + digest;
    }

    /** The console's URL of an image's delete confirmation (GET) and deletion (POST). */
    static String deleteImage(String name, String digest) {
        return image(name, digest) + "/delete";
    }
}
