package io.wharf.scan.sbom;

import io.wharf.core.model.Digest;
import java.time.Instant;
import java.util.List;

/**
 * The image an SBOM describes.
 *
 * @param repository the repository name (no registry host)
 * @param platform   {@code os/arch[/variant]} of the image, or null
 */
public record SbomSubject(String repository, Digest digest, List<String> tags, String platform, Instant createdAt) {
}
