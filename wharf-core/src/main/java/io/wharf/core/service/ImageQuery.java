package io.wharf.core.service;

import io.wharf.core.model.Digest;
import io.wharf.core.model.Tag;

/** An image named by digest, by tag, or by both (which must then agree). At least one is set. */
public record ImageQuery(Digest digest, Tag tag) {
    public ImageQuery {
        if (digest == null && tag == null) {
            throw new IllegalArgumentException("an image query needs a digest or a tag");
        }
    }
}
