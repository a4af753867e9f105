package io.wharf.core.service;

import io.wharf.core.model.Tag;
import io.wharf.core.spi.StoredManifest;

/** An image a batch lookup found; {@code tag} is the tag it was asked by, or null. */
public record FoundImage(StoredManifest manifest, Tag tag) {
}
