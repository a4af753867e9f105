package io.wharf.core.spi;

import io.wharf.core.model.Digest;
import io.wharf.core.model.Tag;
import java.time.Instant;
import java.util.List;

/**
 * An image without its bytes: what lifecycle evaluation reads of every image of a repository.
 *
 * @param subject      the manifest's {@code subject} (it is a referrer of that image); null if none
 * @param lastPulledAt null if never pulled
 * @param tags         every tag pointing at it, sorted
 */
public record ImageSummary(Digest digest, Digest subject, Instant pushedAt, Instant lastPulledAt, List<Tag> tags) {
    public ImageSummary {
        tags = List.copyOf(tags);
    }
}
