package io.wharf.core.model;

import java.util.Set;

/** The manifest media types Wharf stores, and a few blob media types it recognises. */
public final class MediaTypes {
    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    public static final String DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    public static final String DOCKER_SCHEMA1 = "application/vnd.docker.distribution.manifest.v1+json";
    public static final String DOCKER_SCHEMA1_SIGNED = "application/vnd.docker.distribution.manifest.v1+prettyjws";
    public static final String OCI_EMPTY = "application/vnd.oci.empty.v1+json";

    public static final Set<String> MANIFESTS = Set.of(OCI_MANIFEST, OCI_INDEX, DOCKER_MANIFEST, DOCKER_MANIFEST_LIST);

    private MediaTypes() {
    }

    public static boolean isIndex(String mediaType) {
        return OCI_INDEX.equals(mediaType) || DOCKER_MANIFEST_LIST.equals(mediaType);
    }

    /** Layers that registries never receive: Windows foreign layers and OCI non-distributable layers. */
    public static boolean isNonDistributable(String mediaType) {
        return mediaType.startsWith("application/vnd.docker.image.rootfs.foreign.")
                || mediaType.startsWith("application/vnd.oci.image.layer.nondistributable.");
    }

    /** Strips parameters ("; charset=...") and white space from a Content-Type value. */
    public static String essence(String contentType) {
        if (contentType == null) {
            return null;
        }
        int semi = contentType.indexOf(';');
        String base = semi < 0 ? contentType : contentType.substring(0, semi);
        return base.trim().toLowerCase(java.util.Locale.ROOT);
    }
}
