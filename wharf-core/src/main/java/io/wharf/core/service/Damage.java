package io.wharf.core.service;

import io.wharf.core.model.Digest;

/**
 * Content found damaged: what it is ({@code "blob"}, {@code "manifest"}), its digest, and what is wrong.
 *
 * @param repository the repository of a manifest (manifests are stored per repository); null for blobs
 */
public record Damage(String kind, Digest digest, String repository, String problem) {

    /** Where the domain reports damage as it finds it; the server logs it. */
    @FunctionalInterface
    public interface Listener {
        void damaged(Damage damage);
    }

    @Override
    public String toString() {
        return kind + " " + digest + (repository == null ? "" : " in " + repository) + ": " + problem;
    }
}
