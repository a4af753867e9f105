package io.wharf.core.model;

/** The {@code <reference>} of a manifest URL: a tag or a digest. */
public sealed interface Reference permits Reference.ByTag, Reference.ByDigest {

    record ByTag(Tag tag) implements Reference {
        @Override
        public String toString() {
            return tag.value();
        }
    }

    record ByDigest(Digest digest) implements Reference {
        @Override
        public String toString() {
            return digest.toString();
        }
    }

    /** A reference with a ':' is a digest (tags cannot contain one); anything else must be a valid tag. */
    static Reference parse(String text) {
        if (text != null && Digest.looksLikeDigest(text)) {
            return new ByDigest(Digest.parse(text));
        }
        return new ByTag(new Tag(text));
    }
}
