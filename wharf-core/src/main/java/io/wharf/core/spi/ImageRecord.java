package io.wharf.core.spi;

import java.util.List;
import io.wharf.core.model.Tag;

/** A manifest of a repository with every tag pointing at it (sorted); what ECR calls an image. */
public record ImageRecord(StoredManifest manifest, List<Tag> tags) {
    public ImageRecord {
        tags = List.copyOf(tags);
    }
}
