package io.wharf.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sigstore.encryption.Keys;
import dev.sigstore.encryption.signers.Verifiers;
import io.wharf.core.model.Digest;
import io.wharf.server.cli.WharfCommand;
import io.wharf.server.config.WharfConfig;
import io.wharf.server.signing.Cosign;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.EcrException;
import software.amazon.awssdk.services.ecr.model.ImageTagMutability;
import software.amazon.awssdk.services.ecr.model.ImageSigningStatus;
import software.amazon.awssdk.services.ecr.model.SigningRule;
import software.amazon.awssdk.services.ecr.model.SigningStatus;

/**
 * ECR's signing API over real HTTP with the AWS SDK (SigV4), and signing on push with a key Wharf holds: the signature
 * is fetched through {@code /v2/} and verified independently, as {@code cosign verify --key} would.
 */
class SigningApiTest {
    private static final String PROFILE = "arn:aws:signer:us-east-1:000000000000:/signing-profiles/wharf_ci";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;
    private ApiServer server;
    private EcrClient ecr;
    private Cosign.Client client;

    @BeforeEach
    void start() throws Exception {
        server = new ApiServer(data, c -> c.withAuth(new WharfConfig.AuthSettings(false)));
        ecr = EcrClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + server.port()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
                .build();
        client = (method, path, body, type) -> server.send(method, path, null, HttpRequest.BodyPublishers.ofByteArray(body),
                type).statusCode();
    }

    @AfterEach
    void stop() {
        ecr.close();
        server.close();
    }

    @Test
    void theConfigurationIsStoredCheckedAndDeleted() {
        assertEcrError("SigningConfigurationNotFoundException", () -> ecr.getSigningConfiguration(b -> { }));
        assertEcrError("SigningConfigurationNotFoundException", () -> ecr.deleteSigningConfiguration(b -> { }));
        var put = ecr.putSigningConfiguration(b -> b.signingConfiguration(c -> c.rules(rule(PROFILE, "team/*"))));
        assertThat(put.signingConfiguration().rules().getFirst().signingProfileArn()).isEqualTo(PROFILE);
        var got = ecr.getSigningConfiguration(b -> { });
        assertThat(got.registryId()).isEqualTo("000000000000");
        assertThat(got.signingConfiguration().rules().getFirst().repositoryFilters().getFirst().filter()).isEqualTo("team/*");

        SigningRule[] eleven = new SigningRule[11];
        java.util.Arrays.fill(eleven, rule(PROFILE, "*"));
        assertEcrError("ValidationException", () -> ecr.putSigningConfiguration(b -> b.signingConfiguration(c -> c.rules(eleven))));
        assertEcrError("ValidationException", () -> ecr.putSigningConfiguration(b -> b.signingConfiguration(
                c -> c.rules(rule("arn:aws:iam::000000000000:role/x", "*")))));
        assertEcrError("ValidationException", () -> ecr.putSigningConfiguration(b -> b.signingConfiguration(
                c -> c.rules(SigningRule.builder().signingProfileArn(PROFILE).repositoryFilters(f -> f.filter("*")
                        .filterType("PREFIX_MATCH")).build()))));
        assertEcrError("ValidationException", () -> ecr.putSigningConfiguration(b -> b.signingConfiguration(
                c -> c.rules(SigningRule.builder().signingProfileArn(PROFILE).build()))));

        var deleted = ecr.deleteSigningConfiguration(b -> { });
        assertThat(deleted.signingConfiguration().rules()).hasSize(1);
        assertEcrError("SigningConfigurationNotFoundException", () -> ecr.getSigningConfiguration(b -> { }));
    }

    @Test
    void aPushedImageIsSignedInCosignsFormatWithTheProfilesKey() throws Exception {
        ecr.putSigningConfiguration(b -> b.signingConfiguration(c -> c.rules(rule(PROFILE, "team/*"))));
        Digest image = Digest.sha256Of(Cosign.pushImage(client, "team/app", "v1"));
        Digest outside = Digest.sha256Of(Cosign.pushImage(client, "other/app", "v1"));

        until(() -> status("team/app", image).stream()
                .anyMatch(s -> s.status() == SigningStatus.COMPLETE));
        assertThat(status("team/app", image)).singleElement().satisfies(s -> assertThat(s.signingProfileArn()).isEqualTo(PROFILE));
        assertThat(status("other/app", outside)).as("no rule covers it").isEmpty();

        PublicKey key = Keys.parseEcdsa(der(publicKeyFromCli()));
        verifyAsCosignDoes("team/app", image, "sha256-" + image.hex() + ".sig", key);
        assertThat(tags("team/app")).as("the signature itself is not signed")
                .containsExactlyInAnyOrder("v1", "sha256-" + image.hex() + ".sig");
        assertThat(server.send("GET", "/v2/other/app/manifests/sha256-" + outside.hex() + ".sig", null).statusCode())
                .isEqualTo(404);

        putPolicyTrustingWharf("team/app");
        assertThat(server.send("GET", "/v2/team/app/manifests/v1", null).statusCode()).as("signed by Wharf").isEqualTo(200);
        Cosign.pushImage(client, "team/app", "v2");
        until(() -> server.send("GET", "/v2/team/app/manifests/v2", null)
                .statusCode() == 200);
    }

    @Test
    void aSignatureThatCannotBeWrittenReadsFailedWithTheReasonUntilItIsWritten() throws Exception {
        Path keyFile = data.resolve("keys/signing").resolve(java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(PROFILE.getBytes(StandardCharsets.UTF_8)), 0, 16) + ".key");
        java.nio.file.Files.createDirectories(keyFile.getParent());
        java.nio.file.Files.write(keyFile, new byte[] {0, 0, 0, 9, 1, 2, 3}); // a truncated key file: an outage
        ecr.putSigningConfiguration(b -> b.signingConfiguration(c -> c.rules(rule(PROFILE, "team/*"))));
        byte[] manifest = Cosign.pushImage(client, "team/app", "v1");
        Digest image = Digest.sha256Of(manifest);

        until(() -> status("team/app", image).stream().anyMatch(st -> st.status() == SigningStatus.FAILED));
        assertThat(status("team/app", image)).singleElement().satisfies(s -> {
            assertThat(s.signingProfileArn()).isEqualTo(PROFILE);
            assertThat(s.failureCode()).isEqualTo("StorageUnavailable");
            assertThat(s.failureReason()).contains("the signing key of " + PROFILE);
        });

        java.nio.file.Files.delete(keyFile); // the next signature creates a new key
        assertThat(client.send("PUT", "/v2/team/app/manifests/v2", manifest, Cosign.OCI_MANIFEST)).isEqualTo(201);
        until(() -> status("team/app", image).getFirst().status() == SigningStatus.COMPLETE);
        assertThat(status("team/app", image).getFirst().failureCode()).isNull();
    }

    @Test
    void inAnImmutableRepositoryWhoseSigTagIsTakenTheSignatureIsAReferrer() throws Exception {
        ecr.createRepository(b -> b.repositoryName("team/locked").imageTagMutability(ImageTagMutability.IMMUTABLE));
        byte[] manifest = Cosign.pushImage(client, "team/locked", "v1");
        Digest image = Digest.sha256Of(manifest);
        Cosign.signTagScheme(client, "team/locked", image, image, Cosign.newKey()); // another signer's .sig came first
        String sigTag = "sha256-" + image.hex() + ".sig";
        String otherSignature = server.send("GET", "/v2/team/locked/manifests/" + sigTag, null).body();
        ecr.putSigningConfiguration(b -> b.signingConfiguration(c -> c.rules(rule(PROFILE, "team/*"))));

        assertThat(client.send("PUT", "/v2/team/locked/manifests/v2", manifest, Cosign.OCI_MANIFEST))
                .as("the same image pushed again, now under a rule").isEqualTo(201);
        until(() -> status("team/locked", image).stream().anyMatch(s -> s.status() == SigningStatus.COMPLETE));
        assertThat(server.send("GET", "/v2/team/locked/manifests/" + sigTag, null).body())
                .as("the other signer's .sig is as it was").isEqualTo(otherSignature);
        Digest referrer = onlyReferrer("team/locked", image);
        JsonNode signature = verifyAsCosignDoes("team/locked", image, referrer.toString(),
                Keys.parseEcdsa(der(publicKeyFromCli())));
        assertThat(signature.get("artifactType").asText()).isEqualTo("application/vnd.dev.cosign.artifact.sig.v1+json");
        assertThat(signature.at("/config/mediaType").asText()).isEqualTo("application/vnd.oci.empty.v1+json");
        assertThat(signature.at("/config/digest").asText()).isEqualTo(Digest.sha256Of("{}".getBytes()).toString());
        assertThat(signature.get("subject")).isEqualTo(JSON.readTree(Cosign.descriptor(Cosign.OCI_MANIFEST, manifest)));
        assertThat(signature.at("/layers/0/annotations/dev.wharf.signing-profile").asText()).isEqualTo(PROFILE);

        assertThat(client.send("PUT", "/v2/team/locked/manifests/v3", manifest, Cosign.OCI_MANIFEST))
                .as("pushed again: the signer finds its referrer").isEqualTo(201);
        Digest later = Digest.sha256Of(Cosign.pushImage(client, "team/locked", "w1"));
        until(() -> status("team/locked", later).getFirst().status() == SigningStatus.COMPLETE); // events come in order
        assertThat(onlyReferrer("team/locked", image)).as("not signed again").isEqualTo(referrer);
        assertThat(tags("team/locked")).as("the referrer is untagged, and not signed itself")
                .containsExactlyInAnyOrder("v1", "v2", "v3", sigTag, "w1", "sha256-" + later.hex() + ".sig");
        assertThat(JSON.readTree(server.send("GET", "/v2/team/locked/referrers/" + referrer, null).body())
                .get("manifests")).isEmpty();

        putPolicyTrustingWharf("team/locked");
        assertThat(server.send("GET", "/v2/team/locked/manifests/v1", null).statusCode())
                .as("the referrer satisfies the policy").isEqualTo(200);
        assertThat(server.send("GET", "/v2/team/locked/manifests/" + referrer, null).statusCode()).isEqualTo(200);
    }

    @Test
    void aProfilesReferrerThatDoesNotVerifyReadsSignatureInvalid() throws Exception {
        ecr.putSigningConfiguration(b -> b.signingConfiguration(c -> c.rules(rule(PROFILE, "team/*"))));
        byte[] manifest = Cosign.pushImage(client, "other/app", "v1"); // no rule covers it: not signed
        Cosign.signReferrer(client, "other/app", manifest, Cosign.newKey(), PROFILE); // names the profile, another key
        Digest later = Digest.sha256Of(Cosign.pushImage(client, "team/app", "v1"));
        until(() -> status("team/app", later).getFirst().status() == SigningStatus.COMPLETE); // events come in order

        ecr.putSigningConfiguration(b -> b.signingConfiguration(c -> c.rules(rule(PROFILE, "*"))));
        assertThat(status("other/app", Digest.sha256Of(manifest))).singleElement().satisfies(s -> {
            assertThat(s.status()).isEqualTo(SigningStatus.FAILED);
            assertThat(s.failureCode()).isEqualTo("SignatureInvalid");
        });
    }

    @Test
    void anImagePushedBeforeTheConfigurationHasNoStatusRatherThanInProgressForEver() throws Exception {
        Digest before = Digest.sha256Of(Cosign.pushImage(client, "team/app", "old"));
        Thread.sleep(5); // the configuration's time is strictly later than the push's
        ecr.putSigningConfiguration(b -> b.signingConfiguration(c -> c.rules(rule(PROFILE, "team/*"))));
        Digest after = Digest.sha256Of(Cosign.pushImage(client, "team/app", "new"));

        until(() -> status("team/app", after).stream().anyMatch(s -> s.status() == SigningStatus.COMPLETE));
        assertThat(status("team/app", before)).as("nothing signs it: it is not waiting either").isEmpty();
        assertThat(server.send("GET", "/v2/team/app/manifests/sha256-" + before.hex() + ".sig", null).statusCode())
                .isEqualTo(404);
    }

    @Test
    void batchGetImageIsAPullTheSignaturePolicyChecks() throws Exception {
        java.security.KeyPair trusted = Cosign.newKey();
        Digest signed = Digest.sha256Of(Cosign.pushImage(client, "team/app", "signed"));
        Cosign.signTagScheme(client, "team/app", signed, signed, trusted);
        Cosign.pushImage(client, "team/app", "unsigned");
        String policy = JSON.createObjectNode().set("trustedKeys", JSON.createArrayNode().add(JSON.createObjectNode()
                .put("publicKey", Cosign.pem(trusted.getPublic())))).toString();
        assertThat(server.send("PUT", "/wharf/v1/repositories/team/app/signature-policy", null,
                HttpRequest.BodyPublishers.ofString(policy), "application/json").statusCode()).isEqualTo(200);

        var got = ecr.batchGetImage(b -> b.repositoryName("team/app").imageIds(i -> i.imageTag("signed"),
                i -> i.imageTag("unsigned"), i -> i.imageTag("sha256-" + signed.hex() + ".sig")));
        assertThat(got.images()).extracting(i -> i.imageId().imageTag())
                .containsExactlyInAnyOrder("signed", "sha256-" + signed.hex() + ".sig");
        assertThat(got.failures()).singleElement().satisfies(f -> {
            assertThat(f.imageId().imageTag()).isEqualTo("unsigned");
            assertThat(f.failureCodeAsString()).isEqualTo("ImageInaccessible");
            assertThat(f.failureReason()).contains("the image has no signature");
        });
    }

    @Test
    void malformedConfigurationsAreClientErrorsNeverServerErrors() throws Exception {
        String rule = "{\"signingProfileArn\":\"" + PROFILE + "\",\"repositoryFilters\":";
        Map<String, String> bodies = Map.of(
                "{}", "InvalidParameterException",
                "{\"signingConfiguration\":{\"rules\":\"x\"}}", "SerializationException",
                "{\"signingConfiguration\":{\"rules\":[null]}}", "SerializationException", // nulls in lists: the edge's
                "{\"signingConfiguration\":{\"rules\":[" + rule + "[null]}]}}", "ValidationException",
                "{\"signingConfiguration\":{\"rules\":[" + rule + "[]}]}}", "ValidationException",
                "{\"signingConfiguration\":{\"rules\":[" + rule + "[{\"filter\":5,\"filterType\":\"WILDCARD_MATCH\"}]}]}}",
                "SerializationException");
        for (var e : bodies.entrySet()) {
            HttpResponse<String> r = server.http().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                            + server.port() + "/")).POST(HttpRequest.BodyPublishers.ofString(e.getKey()))
                    .header("Content-Type", "application/x-amz-json-1.1")
                    .header("X-Amz-Target", "AmazonEC2ContainerRegistry_V20150921.PutSigningConfiguration").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(e.getKey()).isEqualTo(400);
            assertThat(r.body()).as(e.getKey()).contains(e.getValue());
        }
        assertEcrError("SigningConfigurationNotFoundException", () -> ecr.getSigningConfiguration(b -> { }));
    }

    @Test
    void statusOfAMissingImageIsImageNotFound() {
        ecr.createRepository(b -> b.repositoryName("team/app"));
        assertEcrError("ImageNotFoundException", () -> ecr.describeImageSigningStatus(b -> b.repositoryName("team/app")
                .imageId(i -> i.imageDigest("sha256:" + "0".repeat(64)))));
        assertEcrError("RepositoryNotFoundException", () -> ecr.describeImageSigningStatus(b -> b.repositoryName("nope")
                .imageId(i -> i.imageTag("v1"))));
    }

    /**
     * The signature manifest ({@code .sig} tag or referrer digest) through /v2/, its first layer's payload blob and
     * annotation: digest named, signature verifies. Answers the manifest.
     */
    private JsonNode verifyAsCosignDoes(String repo, Digest image, String signatureReference, PublicKey key) throws Exception {
        HttpResponse<String> sig = server.send("GET", "/v2/" + repo + "/manifests/" + signatureReference, null);
        assertThat(sig.statusCode()).isEqualTo(200);
        JsonNode layer = JSON.readTree(sig.body()).at("/layers/0");
        assertThat(layer.get("mediaType").asText()).isEqualTo("application/vnd.dev.cosign.simplesigning.v1+json");
        HttpResponse<byte[]> blob = server.http().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + server.port() + "/v2/" + repo + "/blobs/" + layer.get("digest").asText())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        byte[] payload = blob.body();
        assertThat(Digest.sha256Of(payload).toString()).isEqualTo(layer.get("digest").asText());
        JsonNode critical = JSON.readTree(payload).get("critical");
        assertThat(critical.at("/image/docker-manifest-digest").asText()).isEqualTo(image.toString());
        assertThat(critical.get("type").asText()).isEqualTo("cosign container image signature");
        byte[] signature = Base64.getDecoder().decode(layer.at("/annotations/dev.cosignproject.cosign~1signature").asText());
        assertThat(Verifiers.newVerifier(key).verify(payload, signature)).as("sigstore-java").isTrue();
        Signature jdk = Signature.getInstance("SHA256withECDSA");
        jdk.initVerify(key);
        jdk.update(payload);
        assertThat(jdk.verify(signature)).as("the JDK").isTrue();
        return JSON.readTree(sig.body());
    }

    /** The one referrer of the image, as the referrers API lists it: a cosign signature. */
    private Digest onlyReferrer(String repo, Digest image) throws Exception {
        JsonNode listed = JSON.readTree(server.send("GET", "/v2/" + repo + "/referrers/" + image, null).body()).get("manifests");
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).get("artifactType").asText()).isEqualTo("application/vnd.dev.cosign.artifact.sig.v1+json");
        return Digest.parse(listed.get(0).get("digest").asText());
    }

    private void putPolicyTrustingWharf(String repo) throws Exception {
        String policy = JSON.createObjectNode().set("trustedKeys", JSON.createArrayNode().add(JSON.createObjectNode()
                .put("name", "wharf").put("publicKey", publicKeyFromCli()))).toString();
        assertThat(server.send("PUT", "/wharf/v1/repositories/" + repo + "/signature-policy", null,
                HttpRequest.BodyPublishers.ofString(policy), "application/json").statusCode()).isEqualTo(200);
    }

    private String publicKeyFromCli() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = WharfCommand.execute(Map.of(), new PrintWriter(out), new PrintWriter(err),
                "signing", "public-key", "--data", data.toString(), PROFILE);
        assertThat(status).as(err.toString()).isZero();
        assertThat(out.toString()).startsWith("-----BEGIN PUBLIC KEY-----");
        return out.toString();
    }

    private static byte[] der(String pem) {
        return Base64.getMimeDecoder().decode(pem.replace("-----BEGIN PUBLIC KEY-----", "")
                .replace("-----END PUBLIC KEY-----", ""));
    }

    private List<String> tags(String repo) throws Exception {
        JsonNode list = JSON.readTree(server.send("GET", "/v2/" + repo + "/tags/list", null).body()).get("tags");
        return JSON.convertValue(list, JSON.getTypeFactory().constructCollectionType(List.class, String.class));
    }

    private List<ImageSigningStatus> status(String repo, Digest image) {
        return ecr.describeImageSigningStatus(b -> b.repositoryName(repo).imageId(i -> i.imageDigest(image.toString())))
                .signingStatuses();
    }

    /** Polls until the condition holds (the signer runs on the event outbox, after the push). */
    private static void until(java.util.concurrent.Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.call()) {
            assertThat(System.nanoTime()).as("waited 20 s").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static SigningRule rule(String profile, String filter) {
        return SigningRule.builder().signingProfileArn(profile)
                .repositoryFilters(f -> f.filter(filter).filterType("WILDCARD_MATCH")).build();
    }

    private static void assertEcrError(String type, org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(EcrException.class,
                e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo(type));
    }
}
