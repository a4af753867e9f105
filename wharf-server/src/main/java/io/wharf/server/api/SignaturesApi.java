package io.wharf.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.core.error.ManifestUnknownException;
import io.wharf.core.error.PolicyNotFoundException;
import io.wharf.core.model.Digest;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.service.RepoKey;
import io.wharf.core.signature.ImageSignature;
import io.wharf.core.signature.SignatureLayer;
import io.wharf.core.signature.SignaturePolicy;
import io.wharf.core.signature.SignatureService;
import io.wharf.core.signature.Verdict;
import io.wharf.server.auth.AuthException;
import io.wharf.server.auth.EcrArns;
import io.wharf.server.http.Exchange;
import io.wharf.server.observe.RequestFacts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * Signatures in Wharf's API (docs/signatures.md): {@code GET repositories/<name>/images/<digest>/signatures} (what
 * was found, and the policy's verdict; as pulling the image, {@value SbomApi#ACTION}), and
 * {@code repositories/<name>/signature-policy}: GET ({@value #GET_POLICY}), PUT ({@value #PUT_POLICY}), DELETE
 * ({@value #DELETE_POLICY}) on the repository's ARN.
 */
final class SignaturesApi {
    static final String PUT_POLICY = "wharf:PutSignaturePolicy";
    static final String GET_POLICY = "wharf:GetSignaturePolicy";
    static final String DELETE_POLICY = "wharf:DeleteSignaturePolicy";
    private static final int MAX_POLICY_BYTES = 256 << 10;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SignatureService signatures;
    private final String region;
    private final String account;
    private final int maxNameLength;

    SignaturesApi(SignatureService signatures, String region, String account, int maxNameLength) {
        this.signatures = signatures;
        this.region = region;
        this.account = account;
        this.maxNameLength = maxNameLength;
    }

    /** {@code GET repositories/<name>/images/<digest>/signatures}: what was found, and the policy's verdict. */
    ApiReply signatures(ApiCall call) throws AuthException {
        RepositoryName name = name(call.param("name"));
        Digest image = digest(call.param("digest"));
        call.allow(SbomApi.ACTION, EcrArns.repository(region, account, name.value()));
        return ApiReply.json(found(new RepoKey(account, name), image));
    }

    private String found(RepoKey key, Digest image) {
        ObjectNode out = JSON.createObjectNode().put("repositoryName", key.name().value()).put("imageDigest", image.toString());
        ArrayNode list = out.putArray("signatures");
        try {
            signatures.signatures(key, image).forEach(s -> signature(list.addObject(), s));
            Optional<Verdict> verdict = signatures.verdict(key, image);
            verdict.ifPresent(v -> {
                ObjectNode p = out.putObject("policy").put("pullAllowed", v.allowed());
                if (v.trustedIdentity() != null) {
                    p.put("trustedIdentity", v.trustedIdentity());
                } else {
                    p.put(v.allowed() ? trustedField(key, v) : "reason", v.allowed() ? v.trustedKey() : v.reason());
                }
            });
        } catch (ManifestUnknownException e) {
            throw new ApiProblem(ApiError.NOT_FOUND, "no image " + image + " in repository " + key.name());
        }
        return out.toString();
    }

    /** {@code trustedCertificate} when a certificate entry verified (a Notation signature), else {@code trustedKey}. */
    private String trustedField(RepoKey key, Verdict v) {
        boolean certificate = signatures.policy(key).flatMap(p -> p.certificateEntry(v.trustedKey())).isPresent();
        return certificate ? "trustedCertificate" : "trustedKey";
    }

    private static void signature(ObjectNode n, ImageSignature s) {
        n.put("kind", s.kind().name()).put("artifactDigest", s.artifact().toString());
        if (s.artifactType() != null) {
            n.put("artifactType", s.artifactType());
        }
        if (s.tag() != null) {
            n.put("tag", s.tag().value());
        }
        ArrayNode layers = n.putArray("layers");
        for (SignatureLayer l : s.layers()) {
            ObjectNode o = layers.addObject().put("digest", l.payload().toString()).put("mediaType", l.mediaType())
                    .put("size", l.size());
            putIf(o, "signature", l.signature());
            putIf(o, "certificate", l.certificate());
            putIf(o, "bundle", l.bundle());
        }
    }

    /** One step of a policy route, once the caller may take its action. */
    @FunctionalInterface
    private interface PolicyStep {
        SignaturePolicy apply(Exchange ex, RepoKey key, RepositoryName name) throws IOException;
    }

    /** {@code GET repositories/<name>/signature-policy}. */
    ApiReply getPolicy(ApiCall call) throws AuthException, IOException {
        return policy(call, GET_POLICY, (ex, key, name) -> signatures.policy(key).orElseThrow(() -> noPolicy(name)));
    }

    /** {@code PUT repositories/<name>/signature-policy}. */
    ApiReply putPolicy(ApiCall call) throws AuthException, IOException {
        return policy(call, PUT_POLICY, (ex, key, name) -> signatures.putPolicy(key, body(ex)));
    }

    /** {@code DELETE repositories/<name>/signature-policy}. */
    ApiReply deletePolicy(ApiCall call) throws AuthException, IOException {
        return policy(call, DELETE_POLICY, (ex, key, name) -> existing(() -> signatures.deletePolicy(key), name));
    }

    /** Audits and authorizes {@code action} on the repository, then answers the policy {@code step} leaves. */
    private ApiReply policy(ApiCall call, String action, PolicyStep step) throws AuthException, IOException {
        Exchange ex = call.ex();
        RepositoryName name = name(call.param("name"));
        RequestFacts.of(ex.request()).action(action.substring(action.indexOf(':') + 1)).repository(name.value())
                .requestParameters(Map.of("repositoryName", name.value()));
        call.allow(action, EcrArns.repository(region, account, name.value()));
        SignaturePolicy policy = step.apply(ex, new RepoKey(account, name), name);
        ObjectNode out = (ObjectNode) JSON.readTree(policy.toJson());
        return ApiReply.json(out.put("repositoryName", name.value()).toString());
    }

    private static String body(Exchange ex) throws IOException {
        try {
            return new String(ex.readBody(MAX_POLICY_BYTES, "signature policy"), StandardCharsets.UTF_8);
        } catch (io.wharf.core.error.TooLargeException e) {
            throw new ApiProblem(ApiError.INVALID_PARAMETER, e.getMessage());
        }
    }

    private static SignaturePolicy existing(java.util.function.Supplier<SignaturePolicy> action, RepositoryName name) {
        try {
            return action.get();
        } catch (PolicyNotFoundException e) {
            throw noPolicy(name);
        }
    }

    private static ApiProblem noPolicy(RepositoryName name) {
        return new ApiProblem(ApiError.NOT_FOUND, "no signature policy is set for repository " + name);
    }

    private RepositoryName name(String text) {
        return RepositoryName.parse(text, maxNameLength);
    }

    private static Digest digest(String text) {
        if (!Digest.looksLikeDigest(text)) {
            throw new ApiProblem(ApiError.INVALID_PARAMETER, "not a digest: " + text);
        }
        return Digest.parse(text);
    }

    private static void putIf(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }
}
