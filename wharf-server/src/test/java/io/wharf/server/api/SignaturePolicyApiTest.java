package io.wharf.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.core.model.Digest;
import io.wharf.server.signing.Cosign;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signatures over real HTTP with authentication on: what Wharf recognises beside an image (cosign's tag scheme,
 * cosign and sigstore-bundle referrers, Notation), and a repository's signature policy enforced on manifest GET/HEAD.
 */
class SignaturePolicyApiTest {
    private static final String REPO = "team/app";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;
    private ApiServer server;
    private String root;
    private Cosign.Client client;
    private PolicyCalls calls;

    @BeforeEach
    void start() throws Exception {
        server = new ApiServer(data);
        root = server.root();
        calls = new PolicyCalls(server);
        client = calls.client;
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void everyKindOfSignatureIsFoundAndShown() throws Exception {
        byte[] image = Cosign.pushImage(client, REPO, "v1");
        Digest digest = Digest.sha256Of(image);
        Cosign.signTagScheme(client, REPO, digest, digest, Cosign.newKey());
        Cosign.pushReferrer(client, REPO, digest, image.length, "application/vnd.cncf.notary.signature");
        Cosign.pushReferrer(client, REPO, digest, image.length, "application/vnd.dev.sigstore.bundle.v0.3+json");
        Cosign.pushReferrer(client, REPO, digest, image.length, "application/vnd.dev.cosign.artifact.sig.v1+json");
        Cosign.pushReferrer(client, REPO, digest, image.length, "application/spdx+json"); // an SBOM: no signature

        JsonNode found = calls.get("/wharf/v1/repositories/" + REPO + "/images/" + digest + "/signatures", 200);
        List<String> kinds = new ArrayList<>();
        found.get("signatures").forEach(s -> kinds.add(s.get("kind").asText()));
        assertThat(kinds).containsExactlyInAnyOrder("COSIGN_TAG", "NOTATION", "SIGSTORE_BUNDLE", "COSIGN_REFERRER");
        JsonNode tagged = found.get("signatures").get(0);
        assertThat(tagged.get("tag").asText()).isEqualTo("sha256-" + digest.hex() + ".sig");
        assertThat(tagged.at("/layers/0/mediaType").asText()).isEqualTo("application/vnd.dev.cosign.simplesigning.v1+json");
        assertThat(tagged.at("/layers/0/signature").asText()).isNotBlank();
        assertThat(found.has("policy")).as("no policy, no verdict").isFalse();

        calls.get("/wharf/v1/repositories/" + REPO + "/images/sha256:" + "0".repeat(64) + "/signatures", 404);
        calls.get("/wharf/v1/repositories/" + REPO + "/images/nonsense/signatures", 400);
    }

    @Test
    void aPolicyAllowsOnlyImagesSignedByATrustedKey() throws Exception {
        KeyPair trusted = Cosign.newKey();
        Digest unsigned = Digest.sha256Of(Cosign.pushImage(client, REPO, "unsigned"));
        Digest good = Digest.sha256Of(Cosign.pushImage(client, REPO, "good"));
        Digest other = Digest.sha256Of(Cosign.pushImage(client, REPO, "other"));
        Digest swapped = Digest.sha256Of(Cosign.pushImage(client, REPO, "swapped"));
        Cosign.signTagScheme(client, REPO, good, good, trusted);
        Cosign.signTagScheme(client, REPO, other, other, Cosign.newKey());
        Cosign.signTagScheme(client, REPO, swapped, good, trusted); // a valid signature of another image, copied
        assertThat(calls.pull("unsigned").statusCode()).as("no policy yet").isEqualTo(200);

        putPolicy(trusted, 200);
        PolicyCalls.assertDenied(calls.pull("unsigned"), "the image has no signature");
        PolicyCalls.assertDenied(calls.pull(unsigned.toString()), "the image has no signature");
        PolicyCalls.assertDenied(calls.pull("other"), "no signature verifies with a trusted key");
        PolicyCalls.assertDenied(calls.pull("swapped"), "names another digest (" + good + ")");
        assertThat(calls.pull("good").statusCode()).isEqualTo(200);
        assertThat(calls.pull(good.toString()).statusCode()).isEqualTo(200);
        assertThat(server.send("HEAD", "/v2/" + REPO + "/manifests/good", root).statusCode()).isEqualTo(200);
        assertThat(server.send("HEAD", "/v2/" + REPO + "/manifests/unsigned", root).statusCode()).isEqualTo(403);
        assertThat(calls.pull("sha256-" + unsigned.hex() + ".sig").statusCode()).as("no .sig yet").isEqualTo(404);
        assertThat(calls.pull("sha256-" + other.hex() + ".sig").statusCode()).as("signatures stay pullable").isEqualTo(200);

        JsonNode verdict = calls.get("/wharf/v1/repositories/" + REPO + "/images/" + good + "/signatures", 200).get("policy");
        assertThat(verdict.get("pullAllowed").asBoolean()).isTrue();
        assertThat(verdict.get("trustedKey").asText()).isEqualTo("ci");

        assertThat(server.send("DELETE", "/wharf/v1/repositories/" + REPO + "/signature-policy", root).statusCode())
                .isEqualTo(200);
        assertThat(calls.pull("unsigned").statusCode()).as("policy removed").isEqualTo(200);
        assertThat(server.send("DELETE", "/wharf/v1/repositories/" + REPO + "/signature-policy", root).statusCode())
                .isEqualTo(404);
    }

    @Test
    void aRunnableImageDressedAsASignatureStaysUnderThePolicy() throws Exception {
        KeyPair trusted = Cosign.newKey();
        byte[] image = Cosign.pushImage(client, REPO, "v1");
        String fakeTag = "sha256-" + "a".repeat(64) + ".sig";
        Cosign.pushImage(client, REPO, fakeTag); // a runnable image under one of cosign's tags
        byte[] referrer = new String(Cosign.pushImage(client, REPO, "base"), java.nio.charset.StandardCharsets.UTF_8)
                .replaceFirst("}$", ",\"subject\":" + Cosign.descriptor(Cosign.OCI_MANIFEST, image) + "}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(server.send("PUT", "/v2/" + REPO + "/manifests/" + Digest.sha256Of(referrer), root,
                HttpRequest.BodyPublishers.ofByteArray(referrer), Cosign.OCI_MANIFEST).statusCode()).isEqualTo(201);
        Cosign.pushReferrer(client, REPO, Digest.sha256Of(image), image.length, "application/vnd.cncf.notary.signature");
        putPolicy(trusted, 200);

        PolicyCalls.assertDenied(calls.pull(fakeTag), "the image has no signature");
        PolicyCalls.assertDenied(calls.pull(Digest.sha256Of(referrer).toString()), "the image has no signature");
        String notation = JSON.readTree(server.send("GET", "/v2/" + REPO + "/referrers/" + Digest.sha256Of(image), root)
                .body()).at("/manifests").findValuesAsText("digest").stream()
                .filter(d -> !d.equals(Digest.sha256Of(referrer).toString())).findFirst().orElseThrow();
        assertThat(calls.pull(notation).statusCode()).as("a Notation signature stays pullable").isEqualTo(200);
    }

    @Test
    void aSignedIndexCoversItsChildrenPulledByDigest() throws Exception {
        KeyPair trusted = Cosign.newKey();
        byte[] amd = Cosign.pushImage(client, REPO, "amd");
        byte[] arm = Cosign.pushImage(client, REPO, "arm");
        byte[] loose = Cosign.pushImage(client, REPO, "loose");
        Digest index = Digest.sha256Of(Cosign.pushIndex(client, REPO, "multi", amd, arm));
        Cosign.signTagScheme(client, REPO, index, index, trusted);
        putPolicy(trusted, 200);

        assertThat(calls.pull("multi").statusCode()).isEqualTo(200);
        assertThat(calls.pull(Digest.sha256Of(amd).toString()).statusCode()).as("child of a signed index").isEqualTo(200);
        PolicyCalls.assertDenied(calls.pull("amd"), "no signature"); // by tag: the tag names the child itself, unsigned
        PolicyCalls.assertDenied(calls.pull(Digest.sha256Of(loose).toString()), "no signature");
    }

    @Test
    void thePolicyIsCheckedAndAuthorizedWithItsOwnActions() throws Exception {
        Cosign.pushImage(client, REPO, "v1");
        String path = "/wharf/v1/repositories/" + REPO + "/signature-policy";
        assertThat(server.send("GET", path, root).statusCode()).isEqualTo(404);
        assertThat(send("PUT", path, root, "{\"trustedKeys\":[{\"name\":\"x\",\"publicKey\":\"not a key\"}]}").body())
                .contains("INVALID_PARAMETER").contains("PEM");
        assertThat(send("PUT", path, root, "{\"trustedKeys\":[]}").statusCode()).isEqualTo(400);
        assertThat(send("PUT", path, root, "nope").statusCode()).isEqualTo(400);
        assertThat(send("PUT", "/wharf/v1/repositories/missing/signature-policy", root, policy(Cosign.newKey()))
                .statusCode()).isEqualTo(404);

        String reader = server.user("reader", "*", "ecr:BatchGetImage", "wharf:GetSignaturePolicy");
        assertThat(send("PUT", path, reader, policy(Cosign.newKey())).body()).contains("wharf:PutSignaturePolicy");
        String admin = server.user("admin", "*", "wharf:PutSignaturePolicy");
        assertThat(send("PUT", path, admin, policy(Cosign.newKey())).statusCode()).isEqualTo(200);
        HttpResponse<String> read = server.send("GET", path, reader);
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(read.body()).at("/trustedKeys/0/publicKey").asText()).startsWith("-----BEGIN PUBLIC KEY");
        assertThat(server.send("DELETE", path, reader).statusCode()).isEqualTo(403);
    }

    /** A cosign signature whose layers carry no signature is refused for that, not as an unsigned image. */
    @Test
    void aCosignSignatureWithoutASignatureLayerIsRefusedAsSuch() throws Exception {
        byte[] image = Cosign.pushImage(client, REPO, "v1");
        Cosign.pushReferrer(client, REPO, Digest.sha256Of(image), image.length, "application/vnd.dev.cosign.artifact.sig.v1+json");
        putPolicy(Cosign.newKey(), 200);
        PolicyCalls.assertDenied(calls.pull("v1"), "its cosign signature has no signature layer");
    }

    private static String policy(KeyPair key) throws Exception {
        return JSON.createObjectNode().set("trustedKeys", JSON.createArrayNode().add(JSON.createObjectNode()
                .put("name", "ci").put("publicKey", Cosign.pem(key.getPublic())))).toString();
    }

    private void putPolicy(KeyPair key, int status) throws Exception {
        HttpResponse<String> r = send("PUT", "/wharf/v1/repositories/" + REPO + "/signature-policy", root, policy(key));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    }

    private HttpResponse<String> send(String method, String path, String auth, String body) throws Exception {
        return server.send(method, path, auth, HttpRequest.BodyPublishers.ofString(body), "application/json");
    }
}
