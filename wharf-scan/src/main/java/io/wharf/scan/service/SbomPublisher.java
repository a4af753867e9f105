package io.wharf.scan.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.core.error.RegistryException;
import io.wharf.core.model.Descriptor;
import io.wharf.core.model.Digest;
import io.wharf.core.model.MediaTypes;
import io.wharf.core.model.Reference;
import io.wharf.core.model.Tag;
import io.wharf.core.service.BodySource;
import io.wharf.core.service.RepoKey;
import io.wharf.core.service.Registry;
import io.wharf.core.spi.StoredManifest;
import io.wharf.scan.model.ImageInventory;
import io.wharf.scan.sbom.SbomSubject;
import io.wharf.scan.sbom.Sboms;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores an image's CycloneDX SBOM beside it as an OCI artifact whose {@code subject} is the image, through the
 * normal blob and manifest write paths (so the referrers API lists it). One per image: an image that already has
 * Wharf's SBOM gets no second one (its layers, hence its packages, never change).
 */
final class SbomPublisher {
    static final String GENERATOR_ANNOTATION = "io.wharf.sbom.generator";
    static final String CREATED_ANNOTATION = "org.opencontainers.image.created";
    private static final Logger LOG = LoggerFactory.getLogger(SbomPublisher.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] EMPTY = "{}".getBytes(StandardCharsets.UTF_8);
    private static final String OWNER = "wharf-scan";

    private final Registry registry;
    private final Clock clock;

    SbomPublisher(Registry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
    }

    /** The digest of the SBOM artifact now referring to the image (stored before or now), or null when it could not be stored. */
    Digest publish(RepoKey key, StoredManifest image, ImageInventory inventory, String platform, List<Tag> tags) {
        for (Descriptor d : registry.manifests().referrers(key, image.digest(), Sboms.CYCLONEDX_MEDIA_TYPE)) {
            if ("wharf".equals(d.annotations().get(GENERATOR_ANNOTATION))) {
                return d.digest();
            }
        }
        try {
            Instant now = clock.instant();
            byte[] sbom = Sboms.cycloneDx(inventory, new SbomSubject(key.name().value(), image.digest(),
                    tags.stream().map(Tag::value).toList(), platform, now));
            Digest sbomDigest = upload(key, sbom);
            Digest emptyDigest = upload(key, EMPTY);
            byte[] manifest = manifest(image, sbomDigest, sbom.length, emptyDigest, now);
            return registry.manifests().put(key, new Reference.ByDigest(Digest.sha256Of(manifest)), MediaTypes.OCI_MANIFEST,
                    manifest).digest();
        } catch (RegistryException e) {
            // a quota or a full storage: the scan result stands without its SBOM
            LOG.warn("SBOM of {}@{} not stored: {}", key, image.digest(), e.getMessage());
            return null;
        }
    }

    private Digest upload(RepoKey key, byte[] bytes) {
        Digest digest = Digest.sha256Of(bytes);
        return registry.uploads().putMonolithic(key, OWNER, digest, (long) bytes.length, BodySource.of(bytes));
    }

    private static byte[] manifest(StoredManifest image, Digest sbom, long sbomSize, Digest empty, Instant now) {
        ObjectNode root = JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", MediaTypes.OCI_MANIFEST)
                .put("artifactType", Sboms.CYCLONEDX_MEDIA_TYPE);
        root.putObject("config").put("mediaType", MediaTypes.OCI_EMPTY).put("digest", empty.toString())
                .put("size", EMPTY.length).put("data", Base64.getEncoder().encodeToString(EMPTY));
        root.putArray("layers").addObject().put("mediaType", Sboms.CYCLONEDX_MEDIA_TYPE).put("digest", sbom.toString())
                .put("size", sbomSize);
        root.putObject("subject").put("mediaType", image.mediaType()).put("digest", image.digest().toString())
                .put("size", image.size());
        root.putObject("annotations").put(CREATED_ANNOTATION, now.toString()).put(GENERATOR_ANNOTATION, "wharf");
        try {
            return JSON.writeValueAsBytes(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
