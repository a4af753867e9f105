package io.wharf.server.oci;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits a raw {@code /v2/...} path into its route kind, repository name and trailing reference.
 * Names contain slashes, so each pattern anchors on the route's suffix; the greedy name group
 * takes everything before the last occurrence.
 */
record OciPath(Kind kind, String name, String reference) {

    enum Kind { BASE, CATALOG, TAGS, MANIFEST, BLOB, UPLOADS, UPLOAD, REFERRERS }

    private static final Pattern TAGS = Pattern.compile("(.+)/tags/list");
    private static final Pattern MANIFEST = Pattern.compile("(.+)/manifests/([^/]+)");
    private static final Pattern UPLOADS = Pattern.compile("(.+)/blobs/uploads/?");
    private static final Pattern UPLOAD = Pattern.compile("(.+)/blobs/uploads/([^/]+)");
    private static final Pattern BLOB = Pattern.compile("(.+)/blobs/([^/]+)");
    private static final Pattern REFERRERS = Pattern.compile("(.+)/referrers/([^/]+)");

    /** Null when the path is not an OCI route. */
    static OciPath parse(String rawPath) {
        if (rawPath.equals("/v2") || rawPath.equals("/v2/")) {
            return new OciPath(Kind.BASE, null, null);
        }
        if (!rawPath.startsWith("/v2/")) {
            return null;
        }
        String rest = rawPath.substring(4);
        if (rest.equals("_catalog")) {
            return new OciPath(Kind.CATALOG, null, null);
        }
        Matcher m;
        if ((m = TAGS.matcher(rest)).matches()) {
            return new OciPath(Kind.TAGS, m.group(1), null);
        }
        if ((m = MANIFEST.matcher(rest)).matches()) {
            return new OciPath(Kind.MANIFEST, m.group(1), m.group(2));
        }
        if ((m = UPLOADS.matcher(rest)).matches()) {
            return new OciPath(Kind.UPLOADS, m.group(1), null);
        }
        if ((m = UPLOAD.matcher(rest)).matches()) {
            return new OciPath(Kind.UPLOAD, m.group(1), m.group(2));
        }
        if ((m = BLOB.matcher(rest)).matches()) {
            return new OciPath(Kind.BLOB, m.group(1), m.group(2));
        }
        if ((m = REFERRERS.matcher(rest)).matches()) {
            return new OciPath(Kind.REFERRERS, m.group(1), m.group(2));
        }
        return null;
    }
}
