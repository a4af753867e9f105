package io.wharf.core.remote;

import io.wharf.core.model.Digest;

/** A manifest as a remote registry served it; {@code digest} is computed over {@code body}, not taken on trust. */
public record RemoteManifest(Digest digest, String mediaType, byte[] body) {
}
