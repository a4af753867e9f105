package io.wharf.server.pullthrough;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.wharf.core.model.Digest;
import io.wharf.core.model.MediaTypes;
import io.wharf.core.remote.RemoteException;
import io.wharf.core.remote.RemoteRegistry;
import io.wharf.server.oci.Fixtures;
import java.io.ByteArrayInputStream;
import java.util.List;

/** Images pushed to an upstream through the real remote-registry client. */
final class Images {

    /** An image: its manifest bytes and its blobs (config first). */
    record Image(byte[] manifest, List<byte[]> blobs) {
        Digest digest() {
            return Digest.sha256Of(manifest);
        }
    }

    private Images() {
    }

    static Image push(RemoteRegistry r, String repo, String reference, String arch, int... layerSizes)
            throws RemoteException {
        byte[] config = ("{\"architecture\":\"" + arch + "\",\"os\":\"linux\",\"n\":" + System.nanoTime() + "}")
                .getBytes(UTF_8);
        byte[][] layers = new byte[layerSizes.length][];
        for (int i = 0; i < layers.length; i++) {
            layers[i] = Fixtures.randomBytes(layerSizes[i]);
        }
        pushBlob(r, repo, config);
        for (byte[] l : layers) {
            pushBlob(r, repo, l);
        }
        byte[] manifest = Fixtures.manifest(config, layers);
        r.pushManifest(repo, reference == null ? Digest.sha256Of(manifest).toString() : reference,
                MediaTypes.OCI_MANIFEST, manifest);
        List<byte[]> blobs = new java.util.ArrayList<>(List.of(config));
        blobs.addAll(List.of(layers));
        return new Image(manifest, blobs);
    }

    static byte[] index(RemoteRegistry r, String repo, String tag, Image... children) throws RemoteException {
        StringBuilder sb = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX
                + "\",\"manifests\":[");
        for (int i = 0; i < children.length; i++) {
            sb.append(i == 0 ? "" : ",").append(Fixtures.descriptor(MediaTypes.OCI_MANIFEST, children[i].manifest()));
        }
        byte[] index = sb.append("]}").toString().getBytes(UTF_8);
        r.pushManifest(repo, tag, MediaTypes.OCI_INDEX, index);
        return index;
    }

    static void pushBlob(RemoteRegistry r, String repo, byte[] blob) throws RemoteException {
        r.pushBlob(repo, Digest.sha256Of(blob), blob.length, new ByteArrayInputStream(blob));
    }
}
