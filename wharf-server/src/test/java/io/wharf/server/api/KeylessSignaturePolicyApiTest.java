package io.wharf.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.core.model.Digest;
import io.wharf.core.signature.SimpleSigning;
import io.wharf.server.config.WharfConfig;
import io.wharf.server.signing.Cosign;
import io.wharf.server.signing.KeylessCosign;
import io.wharf.server.signing.TinySigstore;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keyless cosign signatures over real HTTP: the test is Fulcio and Rekor ({@link TinySigstore}), the server trusts
 * them through a trusted_root.json, and each signature is pushed as keyless {@code cosign sign} writes it (cosign is
 * not installed: the layout follows its format). Real ECDSA and X.509 throughout.
 */
class KeylessSignaturePolicyApiTest {
    private static final String REPO = "team/app";
    private static final String GITHUB = "https://token.actions.githubusercontent.com";
    private static final String RELEASE = "https://github.com/org/repo/.github/workflows/release.yml@refs/heads/main";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;
    private ApiServer server;
    private String root;
    private Cosign.Client client;
    private PolicyCalls calls;
    private TinySigstore sigstore;

    @BeforeEach
    void start() throws Exception {
        sigstore = new TinySigstore("trusted");
        Path trustedRoot = Files.writeString(Files.createTempFile("trusted_root", ".json"), sigstore.trustedRoot());
        server = new ApiServer(data, c -> c.withSignatures(new WharfConfig.SignatureSettings(Optional.of(trustedRoot))));
        root = server.root();
        calls = new PolicyCalls(server);
        client = calls.client;
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aKeylessSignatureByATrustedIdentityIsAllowed() throws Exception {
        putPolicy(200);
        byte[] tagged = Cosign.pushImage(client, REPO, "tagged");
        sign(tagged, sigstore, GITHUB, RELEASE, Instant.now(), false);
        byte[] referred = Cosign.pushImage(client, REPO, "referred");
        sign(referred, sigstore, GITHUB, RELEASE, Instant.now(), true);
        byte[] byRegExp = Cosign.pushImage(client, REPO, "regexp");
        sign(byRegExp, sigstore, GITHUB, "https://github.com/org/other/.github/workflows/ci.yml@refs/heads/main",
                Instant.now(), false);

        byte[] chainless = Cosign.pushImage(client, REPO, "chainless"); // no chain annotation: the CA's own chain
        byte[] payload = SimpleSigning.payload("localhost/" + REPO, Digest.sha256Of(chainless));
        KeylessCosign.signTagScheme(client, REPO, Digest.sha256Of(chainless), payload,
                keyless(payload, sigstore, RELEASE, Cosign.newKey()));

        assertThat(calls.pull("tagged").statusCode()).isEqualTo(200);
        assertThat(calls.pull("chainless").statusCode()).isEqualTo(200);
        assertThat(calls.pull("referred").statusCode()).as("a cosign referrer").isEqualTo(200);
        assertThat(calls.pull("regexp").statusCode()).as("subjectRegExp").isEqualTo(200);
        assertThat(verdict(tagged).get("trustedIdentity").asText()).isEqualTo("release");
        assertThat(verdict(byRegExp).get("trustedIdentity").asText()).isEqualTo("org-main");
    }

    @Test
    void anIdentityThePolicyDoesNotTrustIsDenied() throws Exception {
        putPolicy(200);
        sign(Cosign.pushImage(client, REPO, "other-subject"), sigstore, GITHUB,
                "https://github.com/evil/repo/.github/workflows/release.yml@refs/heads/main", Instant.now(), false);
        sign(Cosign.pushImage(client, REPO, "other-issuer"), sigstore, "https://accounts.google.com", RELEASE,
                Instant.now(), false);
        sign(Cosign.pushImage(client, REPO, "email"), sigstore, "https://accounts.google.com", "dev@example.com",
                Instant.now(), false);

        PolicyCalls.assertDenied(calls.pull("other-subject"), "matches no trusted identity");
        PolicyCalls.assertDenied(calls.pull("other-issuer"), "(issuer https://accounts.google.com, subject " + RELEASE + ")");
        PolicyCalls.assertDenied(calls.pull("email"), "subject dev@example.com) matches no trusted identity");
    }

    @Test
    void eachBrokenPieceIsRefusedWithItsReason() throws Exception {
        putPolicy(200);
        sign(Cosign.pushImage(client, REPO, "untrusted-ca"), new TinySigstore("other"), GITHUB, RELEASE, Instant.now(), false);
        PolicyCalls.assertDenied(calls.pull("untrusted-ca"), "does not chain to a Fulcio CA of the trusted root");

        Instant start = Instant.now().minusSeconds(3600); // the leaf expired 50 minutes ago, logged now
        sign(Cosign.pushImage(client, REPO, "late"), sigstore, GITHUB, RELEASE, start, false, Instant.now(), null, null);
        PolicyCalls.assertDenied(calls.pull("late"), "signed outside the certificate's validity");

        sign(Cosign.pushImage(client, REPO, "forged-set"), sigstore, GITHUB, RELEASE, Instant.now(), false, Instant.now(),
                Cosign.newKey(), null);
        PolicyCalls.assertDenied(calls.pull("forged-set"), "SignedEntryTimestamp does not verify");

        sign(Cosign.pushImage(client, REPO, "other-key"), sigstore, GITHUB, RELEASE, Instant.now(), false, Instant.now(),
                null, Cosign.newKey());
        PolicyCalls.assertDenied(calls.pull("other-key"), "the signature does not verify with the certificate's key");

        Digest signedElsewhere = Digest.sha256Of(Cosign.pushImage(client, REPO, "first"));
        Digest copied = Digest.sha256Of(Cosign.pushImage(client, REPO, "copied"));
        byte[] payload = SimpleSigning.payload("localhost/" + REPO, signedElsewhere);
        KeylessCosign.signTagScheme(client, REPO, copied, payload, keyless(payload, sigstore, RELEASE, Cosign.newKey()));
        PolicyCalls.assertDenied(calls.pull("copied"), "names another digest (" + signedElsewhere + ")");
    }

    @Test
    void aLeafWithoutCodeSigningIsRefused() throws Exception {
        putPolicy(200);
        Digest noEku = Digest.sha256Of(Cosign.pushImage(client, REPO, "no-eku"));
        KeyPair signer = Cosign.newKey();
        byte[] noEkuPayload = SimpleSigning.payload("localhost/" + REPO, noEku);
        byte[] noEkuSignature = Cosign.sign(signer, noEkuPayload);
        X509Certificate noEkuLeaf = sigstore.leaf(signer, GITHUB, RELEASE, Instant.now(), false);
        KeylessCosign.signTagScheme(client, REPO, noEku, noEkuPayload, KeylessCosign.annotations(noEkuSignature, noEkuLeaf,
                null, sigstore.bundle(noEkuPayload, noEkuSignature, noEkuLeaf, Instant.now())));
        PolicyCalls.assertDenied(calls.pull("no-eku"), "the certificate is not for code signing");

    }

    @Test
    void aKeySignatureWithoutACertificateIsNotKeyless() throws Exception {
        putPolicy(200);
        Digest keyed = Digest.sha256Of(Cosign.pushImage(client, REPO, "keyed"));
        Cosign.signTagScheme(client, REPO, keyed, keyed, Cosign.newKey());
        PolicyCalls.assertDenied(calls.pull("keyed"), "no signature carries a certificate");
        Cosign.pushImage(client, REPO, "unsigned");
        PolicyCalls.assertDenied(calls.pull("unsigned"), "the image has no signature");
    }

    @Test
    void withoutATrustedRootIdentitiesAreRefusedAtPut(@TempDir Path other) throws Exception {
        server.close();
        server = new ApiServer(other);
        calls = new PolicyCalls(server);
        root = calls.root;
        client = calls.client;
        HttpResponse<String> r = put(identity("release", "\"issuer\":\"" + GITHUB + "\",\"subject\":\"" + RELEASE + "\""));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("INVALID_PARAMETER").contains("needs a Sigstore trusted root");
    }

    @Test
    void thePolicyIsCheckedWhenPut() throws Exception {
        Cosign.pushImage(client, REPO, "v1");
        assertThat(put(identity("bad", "\"issuer\":\"" + GITHUB + "\",\"subjectRegExp\":\"(unclosed\"")).body())
                .contains("INVALID_PARAMETER").contains("subjectRegExp is not a regular expression");
        assertThat(put(identity("both", "\"issuer\":\"a\",\"issuerRegExp\":\"b\",\"subject\":\"c\"")).body())
                .contains("exactly one of issuer / issuerRegExp");
        String sameName = "{\"trustedKeys\":[{\"name\":\"ci\",\"publicKey\":" + JSON.writeValueAsString(Cosign.pem(
                Cosign.newKey().getPublic())) + "}],\"trustedIdentities\":[{\"name\":\"ci\",\"issuer\":\"a\",\"subject\":\"b\"}]}";
        assertThat(put(sameName).body()).contains("named ci");
        HttpResponse<String> read = server.send("GET", "/wharf/v1/repositories/" + REPO + "/signature-policy", root);
        assertThat(read.statusCode()).as("nothing stored").isEqualTo(404);
    }

    /** Signs {@code image} keyless: a leaf for a fresh key from {@code fulcio}, logged now by the trusted Rekor. */
    private void sign(byte[] image, TinySigstore fulcio, String issuer, String subject, Instant notBefore,
                      boolean referrer) throws Exception {
        sign(image, fulcio, issuer, subject, notBefore, referrer, Instant.now(), null, null);
    }

    /** @param setKey null: the trusted log's; @param certKey null: the signer's own (else the leaf certifies it) */
    private void sign(byte[] image, TinySigstore fulcio, String issuer, String subject, Instant notBefore,
                      boolean referrer, Instant logged, KeyPair setKey, KeyPair certKey) throws Exception {
        KeyPair signer = Cosign.newKey();
        byte[] payload = SimpleSigning.payload("localhost/" + REPO, Digest.sha256Of(image));
        byte[] signature = Cosign.sign(signer, payload);
        X509Certificate leaf = fulcio.leaf(certKey == null ? signer : certKey, issuer, subject, notBefore);
        String bundle = setKey == null ? sigstore.bundle(payload, signature, leaf, logged)
                : sigstore.bundle(payload, signature, leaf, logged, setKey);
        String chain = TinySigstore.pem(fulcio.intermediate()) + TinySigstore.pem(fulcio.root());
        Map<String, String> annotations = KeylessCosign.annotations(signature, leaf, chain, bundle);
        if (referrer) {
            KeylessCosign.signReferrer(client, REPO, image, payload, annotations);
        } else {
            KeylessCosign.signTagScheme(client, REPO, Digest.sha256Of(image), payload, annotations);
        }
    }

    private Map<String, String> keyless(byte[] payload, TinySigstore fulcio, String subject, KeyPair signer)
            throws Exception {
        byte[] signature = Cosign.sign(signer, payload);
        X509Certificate leaf = fulcio.leaf(signer, GITHUB, subject, Instant.now());
        return KeylessCosign.annotations(signature, leaf, null, sigstore.bundle(payload, signature, leaf, Instant.now()));
    }

    private static String identity(String name, String fields) {
        return "{\"trustedIdentities\":[{\"name\":\"" + name + "\"," + fields + "}]}";
    }

    private void putPolicy(int status) throws Exception {
        String policy = "{\"trustedIdentities\":[{\"name\":\"release\",\"issuer\":\"" + GITHUB + "\",\"subject\":\""
                + RELEASE + "\"},{\"name\":\"org-main\",\"issuerRegExp\":\"^https://token\\\\.actions\\\\.githubusercontent"
                + "\\\\.com$\",\"subjectRegExp\":\"^https://github\\\\.com/org/[^/]+/.*@refs/heads/main$\"}]}";
        HttpResponse<String> r = put(policy);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode stored = JSON.readTree(server.send("GET", "/wharf/v1/repositories/" + REPO + "/signature-policy", root)
                .body());
        assertThat(stored.at("/trustedIdentities/1/subjectRegExp").asText()).startsWith("^https://github\\.com/org/");
    }

    private HttpResponse<String> put(String policy) throws Exception {
        if (server.send("GET", "/v2/" + REPO + "/tags/list", root).statusCode() == 404) {
            Cosign.pushImage(client, REPO, "first-image");
        }
        return server.send("PUT", "/wharf/v1/repositories/" + REPO + "/signature-policy", root,
                HttpRequest.BodyPublishers.ofString(policy), "application/json");
    }

    private JsonNode verdict(byte[] image) throws Exception {
        HttpResponse<String> r = server.send("GET", "/wharf/v1/repositories/" + REPO + "/images/" + Digest.sha256Of(image)
                + "/signatures", root);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).get("policy");
    }
}
