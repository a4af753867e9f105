package io.wharf.core.testing;

import io.wharf.core.model.Digest;
import io.wharf.core.model.MediaTypes;
import io.wharf.core.model.Reference;
import io.wharf.core.model.Tag;
import io.wharf.core.service.BodySource;
import io.wharf.core.service.RepoKey;
import io.wharf.core.service.Registry;
import java.nio.charset.StandardCharsets;

/** Small images pushed through a registry's own services, for tests that need one stored. */
public final class TestImages {
    private TestImages() {
    }

    /** An OCI image of one layer (its bytes: {@code layerText}) and a config, tagged {@code tag}; its digest. */
    public static Digest pushOneLayer(Registry registry, RepoKey key, Tag tag, String layerText) {
        byte[] config = blob(registry, key, "{\"architecture\":\"amd64\",\"os\":\"linux\"}");
        byte[] layer = blob(registry, key, layerText);
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":"
                + descriptor("application/vnd.oci.image.config.v1+json", config) + ",\"layers\":["
                + descriptor("application/vnd.oci.image.layer.v1.tar", layer) + "]}";
        return registry.manifests().put(key, new Reference.ByTag(tag), MediaTypes.OCI_MANIFEST,
                manifest.getBytes(StandardCharsets.UTF_8)).digest();
    }

    /** {@code text} stored as a blob of the repository in one upload; its bytes. */
    public static byte[] blob(Registry registry, RepoKey key, String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        registry.uploads().putMonolithic(key, "test", Digest.sha256Of(b), (long) b.length, BodySource.of(b));
        return b;
    }

    /** An OCI descriptor of {@code content}. */
    public static String descriptor(String mediaType, byte[] content) {
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + Digest.sha256Of(content) + "\",\"size\":"
                + content.length + "}";
    }
}
