package io.wharf.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.core.model.Digest;
import io.wharf.server.signing.Cosign;
import io.wharf.server.signing.Notation;
import io.wharf.server.signing.NotationPki;
import io.wharf.server.signing.NotationPki.Issued;
import io.wharf.server.signing.NotationPki.LeafKind;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Notation (Notary Project) JWS signatures over real HTTP: envelopes built as the specification lays them out (the
 * notation CLI is not installed), signed with real keys and certificates, pushed as referrers; a policy's
 * {@code trustedCertificates} entry decides the pull.
 */
class NotationPolicyApiTest {
    private static final String REPO = "team/app";
    private static final String IDENTITY = "x509.subject: O=Example, CN=ci";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;
    private ApiServer server;
    private String root;
    private Cosign.Client client;
    private PolicyCalls calls;
    private Issued ca;
    private Issued leaf;

    @BeforeEach
    void start() throws Exception {
        server = new ApiServer(data);
        root = server.root();
        calls = new PolicyCalls(server);
        client = calls.client;
        ca = NotationPki.root("CN=Example Root,O=Example,C=US");
        leaf = NotationPki.leaf(ca, "CN=ci,O=Example,C=US", LeafKind.CODE_SIGNING);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aGoodNotationSignatureAllowsThePullAndTheAnswerNamesTheEntry() throws Exception {
        byte[] image = Cosign.pushImage(client, REPO, "good");
        sign(image, envelope(image, leaf));
        byte[] unsigned = Cosign.pushImage(client, REPO, "unsigned");
        putPolicy(policy("corp", ca.pem(), IDENTITY), 200);

        assertThat(calls.pull("good").statusCode()).isEqualTo(200);
        assertThat(calls.pull(Digest.sha256Of(image).toString()).statusCode()).isEqualTo(200);
        PolicyCalls.assertDenied(calls.pull("unsigned"), "the image has no signature");
        JsonNode verdict = calls.get("/wharf/v1/repositories/" + REPO + "/images/" + Digest.sha256Of(image) + "/signatures", 200)
                .get("policy");
        assertThat(verdict.get("pullAllowed").asBoolean()).isTrue();
        assertThat(verdict.get("trustedCertificate").asText()).isEqualTo("corp");
        assertThat(calls.get("/wharf/v1/repositories/" + REPO + "/images/" + Digest.sha256Of(unsigned) + "/signatures", 200)
                .at("/policy/reason").asText()).isEqualTo("the image has no signature");
    }

    @Test
    void eachWayASignatureFailsIsRefusedWithItsReason() throws Exception {
        Issued otherCa = NotationPki.root("CN=Other Root,O=Other");
        byte[] other = Cosign.pushImage(client, REPO, "other");
        signed("wrong-digest", i -> envelope(other, leaf));
        signed("wrong-ca", i -> envelope(i, NotationPki.leaf(otherCa, "CN=ci,O=Example,C=US", LeafKind.CODE_SIGNING), otherCa));
        signed("identity", i -> envelope(i, NotationPki.leaf(ca, "CN=intruder,O=Example,C=US", LeafKind.CODE_SIGNING)));
        signed("expired", i -> envelope(i, leaf).expiry(Instant.now().minusSeconds(60)));
        signed("tampered", i -> tampered(envelope(i, leaf)));
        signed("server-cert", i -> envelope(i, NotationPki.leaf(ca, "CN=ci,O=Example,C=US", LeafKind.SERVER_AUTH)));
        signed("no-key-usage", i -> envelope(i, NotationPki.leaf(ca, "CN=ci,O=Example,C=US", LeafKind.NO_KEY_USAGE)));
        signed("plugin", i -> critical(envelope(i, leaf), "io.cncf.notary.verificationPlugin"));
        byte[] cose = Cosign.pushImage(client, REPO, "cose");
        Notation.push(client, REPO, cose, new byte[] {(byte) 0xd2, (byte) 0x84}, "application/cose");
        putPolicy(policy("corp", ca.pem(), IDENTITY), 200);

        PolicyCalls.assertDenied(calls.pull("wrong-digest"), "names another digest (" + Digest.sha256Of(other) + ")");
        PolicyCalls.assertDenied(calls.pull("wrong-ca"), "no signature verifies with a trusted key or certificate");
        PolicyCalls.assertDenied(calls.pull("identity"), "subject (C=US,O=Example,CN=intruder) is not a trusted identity of corp");
        PolicyCalls.assertDenied(calls.pull("expired"), "the Notation signature expired at");
        PolicyCalls.assertDenied(calls.pull("tampered"), "does not verify with its signing certificate");
        PolicyCalls.assertDenied(calls.pull("server-cert"), "not a code-signing certificate (extendedKeyUsage is not codeSigning)");
        PolicyCalls.assertDenied(calls.pull("no-key-usage"), "not a code-signing certificate (no critical keyUsage with digitalSignature)");
        PolicyCalls.assertDenied(calls.pull("plugin"), "critical header Wharf does not process (io.cncf.notary.verificationPlugin)");
        PolicyCalls.assertDenied(calls.pull("cose"), "Notation COSE envelopes are not verified");
    }

    @Test
    void identitiesAreDistinguishedNamesInAnyOrderOrAnyLeafOfTheStore() throws Exception {
        byte[] image = Cosign.pushImage(client, REPO, "v1");
        sign(image, envelope(image, NotationPki.leaf(ca, "CN=builder,OU=Team,O=Example,C=US", LeafKind.CODE_SIGNING)));
        putPolicy(policy("corp", ca.pem(), "x509.subject: C=US, O=Example, CN=builder"), 200);
        assertThat(calls.pull("v1").statusCode()).as("partial DN, another order").isEqualTo(200);
        putPolicy(policy("corp", ca.pem(), "x509.subject: C=US, O=Example, CN=build"), 200);
        PolicyCalls.assertDenied(calls.pull("v1"), "is not a trusted identity of corp");
        putPolicy(policy("corp", ca.pem(), "*"), 200);
        assertThat(calls.pull("v1").statusCode()).as("* trusts any leaf of the store").isEqualTo(200);
        putPolicy(policy("corp", ca.pem()), 200);
        assertThat(calls.pull("v1").statusCode()).as("no identities: any leaf of the store").isEqualTo(200);
        putPolicy(policy("leaf-only", NotationPki.pem(leaf.certificate())), 200);
        PolicyCalls.assertDenied(calls.pull("v1"), "no signature verifies with a trusted key or certificate");
    }

    @Test
    void thePolicyIsCheckedWholeAndRoundTrips() throws Exception {
        Cosign.pushImage(client, REPO, "v1");
        String path = "/wharf/v1/repositories/" + REPO + "/signature-policy";
        assertInvalid(policy("corp", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"),
                "trustedCertificates[0] (corp)");
        assertInvalid(policy("corp", "not a pem"), "trustedCertificates[0] (corp): certificates must be PEM");
        assertInvalid(policy("corp", ca.pem(), "CN=ci"), "identity CN=ci must be * or x509.subject: <DN>");
        ObjectNode twentyOne = (ObjectNode) JSON.readTree(policy("c0", ca.pem()));
        for (int i = 1; i < 21; i++) {
            ((ArrayNode) twentyOne.get("trustedCertificates")).add(JSON.readTree(policy("c" + i, ca.pem()))
                    .at("/trustedCertificates/0"));
        }
        assertInvalid(twentyOne.toString(), "1 to 20 entries in all");
        ObjectNode duplicate = (ObjectNode) JSON.readTree(policy("ci", ca.pem()));
        duplicate.putArray("trustedKeys").addObject().put("name", "ci").put("publicKey", Cosign.pem(Cosign.newKey().getPublic()));
        assertInvalid(duplicate.toString(), "two trusted entries are named ci");
        assertThat(server.send("GET", path, root).statusCode()).as("nothing stored").isEqualTo(404);

        putPolicy(policy("corp", ca.pem(), IDENTITY), 200);
        JsonNode read = calls.get(path, 200);
        assertThat(read.at("/trustedCertificates/0/name").asText()).isEqualTo("corp");
        assertThat(read.at("/trustedCertificates/0/certificates").asText()).isEqualTo(ca.pem());
        assertThat(read.at("/trustedCertificates/0/identities/0").asText()).isEqualTo(IDENTITY);
    }

    @Test
    void aCosignKeyAndACertificateEntryWorkSideBySide() throws Exception {
        var key = Cosign.newKey();
        byte[] notation = Cosign.pushImage(client, REPO, "notation");
        sign(notation, envelope(notation, leaf));
        Digest cosign = Digest.sha256Of(Cosign.pushImage(client, REPO, "cosign"));
        Cosign.signTagScheme(client, REPO, cosign, cosign, key);
        ObjectNode both = (ObjectNode) JSON.readTree(policy("corp", ca.pem(), IDENTITY));
        both.putArray("trustedKeys").addObject().put("name", "ci-key").put("publicKey", Cosign.pem(key.getPublic()));
        putPolicy(both.toString(), 200);
        assertThat(calls.pull("notation").statusCode()).isEqualTo(200);
        assertThat(calls.pull("cosign").statusCode()).isEqualTo(200);
        assertThat(calls.get("/wharf/v1/repositories/" + REPO + "/images/" + cosign + "/signatures", 200).at("/policy/trustedKey")
                .asText()).isEqualTo("ci-key");
    }

    @FunctionalInterface
    private interface EnvelopeFor {
        Notation.Envelope of(byte[] image) throws Exception;
    }

    private void signed(String tag, EnvelopeFor envelope) throws Exception {
        byte[] image = Cosign.pushImage(client, REPO, tag);
        sign(image, envelope.of(image));
    }

    private void sign(byte[] image, Notation.Envelope envelope) throws Exception {
        Notation.push(client, REPO, image, envelope.bytes(), Notation.JWS);
    }

    private Notation.Envelope envelope(byte[] image, Issued signer) {
        return envelope(image, signer, ca);
    }

    private static Notation.Envelope envelope(byte[] image, Issued signer, Issued root) {
        return new Notation.Envelope(Notation.target(image), signer.key().getPrivate(),
                List.of(signer.certificate(), root.certificate()));
    }

    private static Notation.Envelope tampered(Notation.Envelope e) {
        e.tamper = true;
        return e;
    }

    private static Notation.Envelope critical(Notation.Envelope e, String header) {
        e.header.put(header, "com.example.plugin");
        ((ArrayNode) e.header.get("crit")).add(header);
        return e;
    }

    private static String policy(String name, String pem, String... identities) {
        ObjectNode entry = JSON.createObjectNode().put("name", name).put("certificates", pem);
        if (identities.length > 0) {
            List.of(identities).forEach(entry.putArray("identities")::add);
        }
        ObjectNode root = JSON.createObjectNode();
        root.putArray("trustedCertificates").add(entry);
        return root.toString();
    }

    private void putPolicy(String policy, int status) throws Exception {
        HttpResponse<String> r = server.send("PUT", "/wharf/v1/repositories/" + REPO + "/signature-policy", root,
                HttpRequest.BodyPublishers.ofString(policy), "application/json");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    }

    private void assertInvalid(String policy, String message) throws Exception {
        HttpResponse<String> r = server.send("PUT", "/wharf/v1/repositories/" + REPO + "/signature-policy", root,
                HttpRequest.BodyPublishers.ofString(policy), "application/json");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(r.body()).contains("INVALID_PARAMETER").contains(message);
    }
}
