package io.wharf.core.model;

import java.util.List;
import java.util.Map;

/**
 * A parsed, validated manifest: what the registry must check (references) and index (subject,
 * artifact type, annotations). The exact bytes stay with it, since digests are over bytes.
 *
 * @param blobs     config and layers: must be blobs of the repository
 * @param manifests index children: must be manifests of the repository
 */
public record Manifest(String mediaType, Digest digest, byte[] content, String artifactType,
                       Descriptor config, List<Descriptor> blobs, List<Descriptor> manifests,
                       Descriptor subject, Map<String, String> annotations) {

    public long size() {
        return content.length;
    }

    /** The artifact type the referrers API reports: artifactType, else the config's media type. */
    public String effectiveArtifactType() {
        if (artifactType != null) {
            return artifactType;
        }
        return config == null ? null : config.mediaType();
    }
}
