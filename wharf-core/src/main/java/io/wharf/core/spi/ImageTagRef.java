package io.wharf.core.spi;

import io.wharf.core.model.Digest;
import io.wharf.core.model.Tag;
import java.util.Comparator;

/**
 * One entry of an image listing: a (digest, tag) pair per tag, and a pair with a null tag per
 * untagged image. Listings are ordered by digest, then tag (the untagged entry has no tag to order).
 */
public record ImageTagRef(Digest digest, Tag tag) implements Comparable<ImageTagRef> {
    private static final Comparator<ImageTagRef> ORDER = Comparator.comparing(ImageTagRef::digest)
            .thenComparing(ImageTagRef::tag, Comparator.nullsFirst(Comparator.naturalOrder()));

    @Override
    public int compareTo(ImageTagRef o) {
        return ORDER.compare(this, o);
    }
}
