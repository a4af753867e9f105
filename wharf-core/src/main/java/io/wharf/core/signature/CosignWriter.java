package io.wharf.core.signature;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.core.error.ImageTagImmutableException;
import io.wharf.core.model.Digest;
import io.wharf.core.model.MediaTypes;
import io.wharf.core.model.Reference;
import io.wharf.core.model.Tag;
import io.wharf.core.service.BodySource;
import io.wharf.core.service.RepoKey;
import io.wharf.core.service.Registry;
import io.wharf.core.spi.Repository;
import io.wharf.core.spi.StoredManifest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Writes signatures as {@code cosign sign --key} does: the simple-signing payload as a layer of the
 * {@code sha256-<hex>.sig} manifest, with the base64 signature in {@value SignatureKind#SIGNATURE_ANNOTATION}. An
 * existing {@code .sig} manifest keeps its layers (other signers'); Wharf's layers also name their profile. When that
 * tag exists and is immutable, so that Wharf's layer cannot be added to it, the same layers go into an OCI 1.1 referrer
 * of the image (as {@code cosign sign --registry-referrers-mode=oci-1-1}), stored untagged.
 */
final class CosignWriter {
    /** Who the uploads belong to (uploads record an owner). */
    private static final String OWNER = "wharf-signing";
    private static final String CONFIG_TYPE = "application/vnd.oci.image.config.v1+json";
    /** The OCI empty descriptor's content: an artifact's config that carries nothing. */
    private static final byte[] EMPTY_CONFIG = "{}".getBytes(StandardCharsets.UTF_8);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Registry registry;
    private final ImageSigner signer;
    private final Function<Repository, String> reference;

    CosignWriter(Registry registry, ImageSigner signer, Function<Repository, String> reference) {
        this.registry = registry;
        this.signer = signer;
        this.reference = reference;
    }

    void sign(Repository repo, StoredManifest image, List<String> profiles) {
        RepoKey key = new RepoKey(repo.account(), repo.name());
        byte[] payload = SimpleSigning.payload(reference.apply(repo), image.digest());
        push(key, payload);
        List<ObjectNode> layers = profiles.stream().map(p -> layer(p, payload)).toList();
        Tag tag = ImageSignature.cosignTag(image.digest());
        if (fixed(repo, tag)) {
            putReferrer(key, image, layers);
            return;
        }
        try {
            putTagged(key, tag, existing(repo, tag).orElseGet(CosignWriter::emptyManifest), layers);
        } catch (ImageTagImmutableException e) {
            putReferrer(key, image, layers); // the tag was taken (or made immutable) after we looked
        }
    }

    /** Whether the {@code .sig} tag exists and may not be moved: the tag scheme cannot take Wharf's layers. */
    private boolean fixed(Repository repo, Tag tag) {
        return repo.settings().tagMutability().isImmutable(tag.value())
                && registry.metadata().resolveTag(repo.id(), tag).isPresent();
    }

    /** A simple-signing layer: the payload, the profile's signature over it, and the profile. */
    private ObjectNode layer(String profile, byte[] payload) {
        ObjectNode layer = descriptor(SignatureKind.SIMPLE_SIGNING_LAYER, payload);
        layer.putObject("annotations")
                .put(SignatureKind.SIGNATURE_ANNOTATION, Base64.getEncoder().encodeToString(signer.sign(profile, payload)))
                .put(SignatureLayer.PROFILE_ANNOTATION, profile);
        return layer;
    }

    /** The tag scheme: the layers appended to the {@code .sig} manifest, whose config cosign derives from them. */
    private void putTagged(RepoKey key, Tag tag, ObjectNode manifest, List<ObjectNode> mine) {
        ArrayNode layers = (ArrayNode) manifest.get("layers");
        layers.addAll(mine);
        byte[] config = config(layers);
        push(key, config);
        manifest.set("config", descriptor(CONFIG_TYPE, config));
        registry.manifests().put(key, new Reference.ByTag(tag), MediaTypes.OCI_MANIFEST,
                manifest.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** An untagged artifact of cosign's signature type whose subject is the image: the referrers API lists it. */
    private void putReferrer(RepoKey key, StoredManifest image, List<ObjectNode> layers) {
        push(key, EMPTY_CONFIG);
        ObjectNode m = JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", MediaTypes.OCI_MANIFEST)
                .put("artifactType", SignatureKind.COSIGN_ARTIFACT_TYPE);
        m.set("config", descriptor(MediaTypes.OCI_EMPTY, EMPTY_CONFIG));
        m.putArray("layers").addAll(layers);
        m.putObject("subject").put("mediaType", image.mediaType()).put("digest", image.digest().toString())
                .put("size", image.size());
        byte[] bytes = m.toString().getBytes(StandardCharsets.UTF_8);
        registry.manifests().put(key, new Reference.ByDigest(Digest.sha256Of(bytes)), MediaTypes.OCI_MANIFEST, bytes);
    }

    private Optional<ObjectNode> existing(Repository repo, Tag tag) {
        return registry.metadata().resolveTag(repo.id(), tag).flatMap(d -> registry.metadata().findManifest(repo.id(), d))
                .filter(StoredManifest::intact).flatMap(CosignWriter::tree)
                .filter(n -> n.path("layers").isArray());
    }

    private static Optional<ObjectNode> tree(StoredManifest m) {
        try {
            return JSON.readTree(m.content()) instanceof ObjectNode o ? Optional.of(o) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static ObjectNode emptyManifest() {
        ObjectNode m = JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", MediaTypes.OCI_MANIFEST);
        m.putArray("layers");
        return m;
    }

    /** The config cosign writes: an empty image whose diff ids are the layers' digests. */
    private static byte[] config(ArrayNode layers) {
        ObjectNode c = JSON.createObjectNode().put("architecture", "").put("os", "");
        c.putObject("config");
        ObjectNode rootfs = c.putObject("rootfs").put("type", "layers");
        ArrayNode ids = rootfs.putArray("diff_ids");
        for (JsonNode l : layers) {
            ids.add(l.path("digest").asText());
        }
        return c.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static ObjectNode descriptor(String mediaType, byte[] content) {
        return JSON.createObjectNode().put("mediaType", mediaType).put("digest", Digest.sha256Of(content).toString())
                .put("size", content.length);
    }

    private void push(RepoKey key, byte[] blob) {
        registry.uploads().putMonolithic(key, OWNER, Digest.sha256Of(blob), (long) blob.length, BodySource.of(blob));
    }
}
