package io.wharf.core.spi;

/** What a quota warning is about: a repository's image count or its stored bytes. */
public enum QuotaKind {
    IMAGES, STORAGE
}
