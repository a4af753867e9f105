package io.wharf.server.oci;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.core.model.Descriptor;
import io.wharf.core.model.Digest;
import io.wharf.core.model.MediaTypes;
import io.wharf.core.error.ManifestUnknownException;
import io.wharf.core.model.Reference;
import io.wharf.core.model.Tag;
import io.wharf.core.service.ManifestService;
import io.wharf.core.spi.StoredManifest;
import io.wharf.core.signature.SignatureService;
import io.wharf.server.http.BodyBudget;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import io.wharf.core.pullthrough.CacheRoute;
import io.wharf.core.pullthrough.PullThroughCache;
import io.wharf.core.remote.RemoteManifest;

/** Manifests by tag or digest, and the referrers API. */
final class ManifestEndpoints {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ManifestService manifests;
    private final int maxManifestBytes;
    private final BodyBudget bodies;

    private final PullThroughCache pullThrough;
    private final SignatureService signatures;

    ManifestEndpoints(ManifestService manifests, int maxManifestBytes, BodyBudget bodies, PullThroughCache pullThrough,
                      SignatureService signatures) {
        this.manifests = manifests;
        this.signatures = signatures;
        this.maxManifestBytes = maxManifestBytes;
        this.bodies = bodies;
        this.pullThrough = pullThrough;
    }

    void get(OciCall call) throws IOException {
        Reference reference = existingReference(call.reference());
        if (pullThrough != null && fromUpstream(call, reference)) {
            return;
        }
        if (signatures.enforced(call.repo())) { // checked before the pull is recorded
            signatures.checkPull(call.repo(), reference, manifests.get(call.repo(), reference));
        }
        // a GET is a pull (recorded, as ECR's lastRecordedPullTime); a HEAD only looks
        StoredManifest m = call.ex().isHead() ? manifests.get(call.repo(), reference) : manifests.pull(call.repo(), reference);
        call.ex().setHeader("Docker-Content-Digest", m.digest().toString())
                .setHeader("ETag", "\"" + m.digest() + "\"");
        call.ex().send(200, m.mediaType(), m.content());
    }

    /**
     * In a repository under a pull-through cache rule: serves the upstream's manifest when the repository lacks it
     * or its cached tag is due for a check ({@code Cache-Control: no-cache} forces one); false: serve the stored one.
     */
    private boolean fromUpstream(OciCall call, Reference reference) throws IOException {
        Optional<CacheRoute> route = pullThrough.route(call.repo());
        if (route.isEmpty()) {
            return false;
        }
        String cacheControl = call.ex().header("Cache-Control");
        boolean refresh = cacheControl != null && cacheControl.toLowerCase(Locale.ROOT).contains("no-cache");
        Optional<RemoteManifest> m = pullThrough.manifest(call.repo(), route.get(), reference, refresh, call.allow());
        if (m.isEmpty()) {
            return false;
        }
        call.ex().setHeader("Docker-Content-Digest", m.get().digest().toString())
                .setHeader("ETag", "\"" + m.get().digest() + "\"");
        call.ex().send(200, m.get().mediaType(), m.get().body());
        return true;
    }

    void put(OciCall call) throws IOException {
        Reference reference = Reference.parse(call.reference());
        ManifestService.PushResult result;
        try (BodyBudget.Lease lease = bodies.lease()) {
            byte[] body = readManifest(call, lease);
            result = manifests.put(call.repo(), reference, call.ex().header("Content-Type"), body);
        }
        call.ex().setHeader("Location", call.repoPath() + "/manifests/" + result.digest())
                .setHeader("Docker-Content-Digest", result.digest().toString());
        if (result.subject() != null) {
            call.ex().setHeader("OCI-Subject", result.subject().toString());
        }
        call.ex().sendEmpty(201);
    }

    /** Refused at once, not queued, when the manifests in flight hold the whole budget (a queued one would hold its connection). */
    private byte[] readManifest(OciCall call, BodyBudget.Lease lease) throws IOException {
        try {
            return call.ex().readBody(maxManifestBytes, "manifest", lease);
        } catch (BodyBudget.ExhaustedException e) {
            throw new OciProblem(OciError.TOOMANYREQUESTS, "too many manifest uploads in progress; retry later", null);
        }
    }

    void delete(OciCall call) throws IOException {
        manifests.delete(call.repo(), existingReference(call.reference()));
        call.ex().sendEmpty(202);
    }

    /**
     * A reference to look up: a string that is not a valid tag cannot name anything, so it is
     * MANIFEST_UNKNOWN (404) rather than TAG_INVALID, as clients and the conformance suite expect.
     */
    private static Reference existingReference(String text) {
        if (!Digest.looksLikeDigest(text) && !Tag.isValid(text)) {
            throw new ManifestUnknownException("manifest unknown to registry", text);
        }
        return Reference.parse(text);
    }

    /** An image index of the manifests whose subject is the given digest; 200 with an empty list when none. */
    void referrers(OciCall call) throws IOException {
        Digest subject = Digest.parse(call.reference());
        String artifactType = call.query("artifactType", OciError.PARAMETER_INVALID);
        List<Descriptor> found = manifests.referrers(call.repo(), subject, artifactType);
        if (artifactType != null) {
            call.ex().setHeader("OCI-Filters-Applied", "artifactType");
        }
        call.ex().send(200, MediaTypes.OCI_INDEX, JSON.writeValueAsBytes(index(found)));
    }

    private static ObjectNode index(List<Descriptor> descriptors) {
        ObjectNode root = JSON.createObjectNode();
        root.put("schemaVersion", 2);
        root.put("mediaType", MediaTypes.OCI_INDEX);
        ArrayNode list = root.putArray("manifests");
        for (Descriptor d : descriptors) {
            ObjectNode n = list.addObject();
            n.put("mediaType", d.mediaType());
            n.put("digest", d.digest().toString());
            n.put("size", d.size());
            if (d.artifactType() != null) {
                n.put("artifactType", d.artifactType());
            }
            if (!d.annotations().isEmpty()) {
                ObjectNode a = n.putObject("annotations");
                d.annotations().forEach(a::put);
            }
        }
        return root;
    }
}
