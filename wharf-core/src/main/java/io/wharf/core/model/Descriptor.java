package io.wharf.core.model;

import java.util.List;
import java.util.Map;

/** An OCI content descriptor, as referenced from a manifest or returned by the referrers API. */
public record Descriptor(String mediaType, Digest digest, long size, String artifactType,
                         Map<String, String> annotations, List<String> urls) {

    public Descriptor {
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
        urls = urls == null ? List.of() : List.copyOf(urls);
    }

    /** A layer with URLs of a non-distributable type is fetched elsewhere; the registry need not hold it. */
    public boolean isExternal() {
        return !urls.isEmpty() && MediaTypes.isNonDistributable(mediaType);
    }
}
