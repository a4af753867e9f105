package io.wharf.server.audit;

import static io.wharf.server.audit.AuditServer.ROOT_ARN;
import static io.wharf.server.audit.AuditServer.ROOT_ID;
import static io.wharf.server.audit.AuditServer.ROOT_SECRET;
import static io.wharf.server.audit.AuditServer.userArn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.core.audit.AuditJson;
import io.wharf.core.audit.AuditRecord;
import io.wharf.server.oci.Fixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.awscore.AwsResponse;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.EcrException;
import software.amazon.awssdk.services.ecr.model.ImageIdentifier;

/**
 * The audit trail through the real wiring (SQLite, IamAuth, the AWS SDK's EcrClient, plain HTTP for OCI): one record per
 * call with its principal and error code, pulls only when sampled, refusals always, secrets never.
 */
class AuditTrailApiTest {
    private static final String REPO = "audit/app";

    @TempDir
    Path data;

    /** What one call should have left: its event name, caller and error code (null: it succeeded). */
    private record Expected(String eventName, String arn, String errorCode) {
    }

    private final Map<String, Expected> expected = new LinkedHashMap<>();

    private <R extends AwsResponse> R call(String eventName, String arn, Supplier<R> call) {
        R response = call.get();
        expected.put(response.responseMetadata().requestId(), new Expected(eventName, arn, null));
        return response;
    }

    private void denied(String eventName, String arn, Runnable call) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(EcrException.class, e -> {
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
            expected.put(e.requestId(), new Expected(eventName, arn, "AccessDeniedException"));
        });
    }

    @Test
    void everyEcrCallOfAnSdkSessionHasExactlyOneRecordWithItsPrincipalAndErrorCode() throws Exception {
        try (AuditServer s = new AuditServer(data, 1.0)) {
            String[] ops = s.user("ops", true);
            String[] nobody = s.user("nobody", false);
            try (EcrClient root = s.ecr(ROOT_ID, ROOT_SECRET); EcrClient op = s.ecr(ops[0], ops[1]);
                 EcrClient no = s.ecr(nobody[0], nobody[1])) {
                session(root, op, no);
            }
            List<AuditRecord> records = s.awaitRecords(r -> r.size() >= expected.size());
            assertThat(records).as("nothing but the session's calls").hasSize(expected.size());
            for (AuditRecord r : records) {
                Expected e = expected.get(r.requestId());
                assertThat(e).as("a call of the session: %s", r).isNotNull();
                assertThat(r.eventName()).isEqualTo(e.eventName());
                assertThat(r.identity().arn()).as(r.eventName()).isEqualTo(e.arn());
                assertThat(r.errorCode()).as(r.eventName()).isEqualTo(e.errorCode());
                assertThat(r.eventSource()).isEqualTo("ecr.amazonaws.com");
                assertThat(r.sourceIp()).isEqualTo("127.0.0.1");
                assertThat(r.userAgent()).contains("aws-sdk-java");
                assertThat(r.identity().accessKeyId()).isIn(ROOT_ID, ops[0], nobody[0]);
            }
            assertThat(records).extracting(AuditRecord::requestId).doesNotHaveDuplicates();
            AuditRecord put = records.stream().filter(r -> r.eventName().equals("PutImage") && r.errorCode() == null)
                    .findFirst().orElseThrow();
            assertThat(put.repository()).isEqualTo(REPO);
            assertThat(put.readOnly()).isFalse();
            assertThat(put.requestParameters()).containsEntry("repositoryName", REPO).containsEntry("imageTag", "v1");
            assertThat(put.responseElements()).containsKey("image");
            assertThat(put.identity().userName()).isEqualTo("ops");
            assertThat(records).filteredOn(r -> r.eventName().equals("DescribeImages"))
                    .singleElement().satisfies(r -> assertThat(r.readOnly()).isTrue());
            assertThat(AuditJson.toJson(put)).as("a part's bytes are cut to audit.max-value-chars")
                    .hasSizeLessThan(20_000);
        }
    }

    /** Every kind of call a registry user makes, by the root, a user allowed all, and a user allowed nothing. */
    private void session(EcrClient root, EcrClient op, EcrClient no) {
        call("CreateRepository", ROOT_ARN, () -> root.createRepository(b -> b.repositoryName(REPO)));
        byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8);
        byte[] layer = Fixtures.randomBytes(4096);
        for (byte[] blob : List.of(config, layer)) {
            String id = call("InitiateLayerUpload", userArn("ops"), () -> op.initiateLayerUpload(b -> b.repositoryName(REPO)))
                    .uploadId();
            call("UploadLayerPart", userArn("ops"), () -> op.uploadLayerPart(b -> b.repositoryName(REPO).uploadId(id)
                    .partFirstByte(0L).partLastByte((long) blob.length - 1).layerPartBlob(SdkBytes.fromByteArray(blob))));
            call("CompleteLayerUpload", userArn("ops"), () -> op.completeLayerUpload(b -> b.repositoryName(REPO)
                    .uploadId(id).layerDigests(Fixtures.digest(blob))));
        }
        String manifest = new String(Fixtures.manifest(config, layer), StandardCharsets.UTF_8);
        ImageIdentifier v1 = ImageIdentifier.builder().imageTag("v1").build();
        call("PutImage", userArn("ops"), () -> op.putImage(b -> b.repositoryName(REPO).imageManifest(manifest).imageTag("v1")));
        call("DescribeImages", userArn("ops"), () -> op.describeImages(b -> b.repositoryName(REPO)));
        call("ListImages", userArn("ops"), () -> op.listImages(b -> b.repositoryName(REPO)));
        call("BatchGetImage", userArn("ops"), () -> op.batchGetImage(b -> b.repositoryName(REPO).imageIds(v1)));
        call("BatchCheckLayerAvailability", userArn("ops"), () -> op.batchCheckLayerAvailability(b -> b
                .repositoryName(REPO).layerDigests(Fixtures.digest(layer))));
        call("GetDownloadUrlForLayer", userArn("ops"), () -> op.getDownloadUrlForLayer(b -> b.repositoryName(REPO)
                .layerDigest(Fixtures.digest(layer))));
        call("SetRepositoryPolicy", ROOT_ARN, () -> root.setRepositoryPolicy(b -> b.repositoryName(REPO).policyText("""
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"ecr:ListImages"}]}""")));
        call("GetRepositoryPolicy", ROOT_ARN, () -> root.getRepositoryPolicy(b -> b.repositoryName(REPO)));
        call("DescribeRepositories", ROOT_ARN, () -> root.describeRepositories(b -> b.repositoryNames(REPO)));
        denied("DescribeRepositories", userArn("nobody"), () -> no.describeRepositories(b -> b.repositoryNames(REPO)));
        denied("PutImage", userArn("nobody"), () -> no.putImage(b -> b.repositoryName(REPO).imageManifest(manifest)
                .imageTag("v2")));
        call("BatchDeleteImage", userArn("ops"), () -> op.batchDeleteImage(b -> b.repositoryName(REPO).imageIds(v1)));
        call("DeleteRepository", ROOT_ARN, () -> root.deleteRepository(b -> b.repositoryName(REPO).force(true)));
    }

    @Test
    void ociWritesAndRefusalsAreRecordedAndPullsOnlyWhenSampled() throws Exception {
        try (AuditServer s = new AuditServer(data, 0.0)) {
            String[] nobody = s.user("nobody", false);
            String root = s.basic(ROOT_ID, ROOT_SECRET);
            byte[] manifest = push(s, root, "oci/app", "v1");
            for (int i = 0; i < 5; i++) {
                assertThat(s.send("GET", "/v2/oci/app/manifests/v1", root, null, null).statusCode()).isEqualTo(200);
                assertThat(s.send("HEAD", "/v2/oci/app/blobs/" + Fixtures.digest(manifest), root, null, null).statusCode())
                        .isEqualTo(404);
            }
            assertThat(s.send("GET", "/v2/", null, null, null).statusCode()).as("the challenge").isEqualTo(401);
            String denied = s.basic(nobody[0], nobody[1]);
            assertThat(s.send("GET", "/v2/oci/app/manifests/v1", denied, null, null).statusCode()).isEqualTo(403);

            List<AuditRecord> records = s.awaitRecords(r -> r.stream().anyMatch(x -> "DENIED".equals(x.errorCode())));
            List<String> names = new ArrayList<>(records.stream().map(AuditRecord::eventName).toList().reversed());
            assertThat(names).as("oldest first").containsExactly("GetAuthorizationToken",
                    "InitiateLayerUpload", "CompleteLayerUpload", "InitiateLayerUpload", "CompleteLayerUpload",
                    "PutImage", "GetAuthorizationToken", "BatchGetImage");
            AuditRecord refused = records.stream().filter(r -> r.errorCode() != null).findFirst().orElseThrow();
            assertThat(refused.identity().arn()).isEqualTo(userArn("nobody"));
            assertThat(refused.errorCode()).isEqualTo("DENIED");
            assertThat(refused.requestParameters()).containsEntry("repositoryName", "oci/app").containsEntry("imageTag", "v1");
            AuditRecord put = records.get(2);
            assertThat(put.eventName()).isEqualTo("PutImage");
            assertThat(put.identity().type()).isEqualTo("Root");
            assertThat(put.requestParameters()).containsEntry("imageTag", "v1");
            assertThat(put.responseElements()).containsEntry("digest", Fixtures.digest(manifest));
            assertThat(records.get(3).requestParameters()).containsKeys("layerDigest", "uploadId");
        }
    }

    @Test
    void pullsAreAllRecordedAtSampleRateOne() throws Exception {
        try (AuditServer s = new AuditServer(data, 1.0)) {
            String root = s.basic(ROOT_ID, ROOT_SECRET);
            push(s, root, "oci/pulled", "v1");
            for (int i = 0; i < 7; i++) {
                s.send("GET", "/v2/oci/pulled/manifests/v1", root, null, null);
            }
            List<AuditRecord> records = s.awaitRecords(r -> r.stream().filter(x -> x.eventName().equals("BatchGetImage"))
                    .count() >= 7);
            assertThat(records).filteredOn(r -> r.eventName().equals("BatchGetImage")).hasSize(7)
                    .allSatisfy(r -> {
                        assertThat(r.readOnly()).isTrue();
                        assertThat(r.requestParameters()).containsEntry("imageTag", "v1");
                    });
        }
    }

    @Test
    void anonymousPullsOfPublicRepositoriesAreRecordedAsAnonymous() throws Exception {
        try (AuditServer s = new AuditServer(data, 1.0)) {
            String root = s.basic(ROOT_ID, ROOT_SECRET);
            push(s, root, "pub/pulled", "v1");
            assertThat(s.send("PUT", "/wharf/v1/repositories/pub/pulled/public", root, null, null).statusCode()).isEqualTo(200);
            assertThat(s.send("GET", "/v2/pub/pulled/manifests/v1", null, null, null).statusCode()).isEqualTo(200);
            assertThat(s.aws("ecr-public", "SpencerFrontendService.CreateRepository", "{\"repositoryName\":\"pub/other\"}",
                    ROOT_ID, ROOT_SECRET).statusCode()).isEqualTo(200);
            List<AuditRecord> records = s.awaitRecords(r -> r.stream().anyMatch(x -> x.identity().type().equals("Anonymous"))
                    && r.stream().anyMatch(x -> x.eventName().equals("CreateRepository")));
            assertThat(records).filteredOn(r -> r.identity().type().equals("Anonymous")).singleElement().satisfies(r -> {
                assertThat(r.eventName()).isEqualTo("BatchGetImage");
                assertThat(r.identity().userName()).isEqualTo("anonymous");
                assertThat(r.account()).isEqualTo(AuditServer.ACCOUNT);
                assertThat(r.repository()).isEqualTo("pub/pulled");
            });
            assertThat(records).filteredOn(r -> r.eventName().equals("CreateRepository")).singleElement()
                    .satisfies(r -> assertThat(r.eventSource()).isEqualTo("ecr-public.amazonaws.com"));
        }
    }

    @Test
    void secretsNeverReachTheTrail() throws Exception {
        String value = "{\"username\":\"robot\",\"accessToken\":\"tok-5be2c0-very-secret\"}";
        try (AuditServer s = new AuditServer(data, 1.0)) {
            var created = s.aws("secretsmanager", "secretsmanager.CreateSecret", "{\"Name\":\"ecr-pullthroughcache/hub\","
                    + "\"SecretString\":" + new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(value) + "}",
                    ROOT_ID, ROOT_SECRET);
            assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
            String token;
            try (EcrClient root = s.ecr(ROOT_ID, ROOT_SECRET)) {
                token = root.getAuthorizationToken().authorizationData().getFirst().authorizationToken();
            }
            try (var sts = software.amazon.awssdk.services.sts.StsClient.builder().endpointOverride(s.uri())
                    .region(software.amazon.awssdk.regions.Region.US_EAST_1).credentialsProvider(
                            software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                                    software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(ROOT_ID, ROOT_SECRET)))
                    .build()) {
                assertThat(sts.getCallerIdentity().arn()).isEqualTo(ROOT_ARN);
            }
            List<AuditRecord> records = s.awaitRecords(r -> r.size() == 3);
            assertThat(records).extracting(AuditRecord::eventSource).containsExactlyInAnyOrder(
                    "secretsmanager.amazonaws.com", "ecr.amazonaws.com", "sts.amazonaws.com");
            AuditRecord secret = records.stream().filter(r -> r.eventName().equals("CreateSecret")).findFirst().orElseThrow();
            assertThat(secret.requestParameters()).containsEntry("Name", "ecr-pullthroughcache/hub")
                    .containsEntry("SecretString", AuditParameters.HIDDEN);
            for (AuditRecord r : records) {
                String stored = AuditJson.toJson(r);
                assertThat(stored).doesNotContain("tok-5be2c0").doesNotContain(token).doesNotContain(ROOT_SECRET);
            }
        }
    }

    /** A stray malformed escape in an OCI call's query threw in the audit observer, and the call went unrecorded. */
    @Test
    void aDeletionWithAMalformedQueryIsRecorded() throws Exception {
        try (AuditServer s = new AuditServer(data, 0.0)) {
            String root = s.basic(ROOT_ID, ROOT_SECRET);
            String digest = Fixtures.digest(push(s, root, "oci/gone", "v1"));
            assertThat(raw(s, "DELETE /v2/oci/gone/manifests/" + digest + "?from=%zz", root)).startsWith("HTTP/1.1 202");
            List<AuditRecord> records = s.awaitRecords(r -> r.stream().anyMatch(x -> x.requestParameters() != null
                    && "%zz".equals(x.requestParameters().get("mountFrom"))));
            assertThat(records.getFirst().requestParameters()).containsEntry("imageDigest", digest);
        }
    }

    /** The status line of a request sent as written (java.net.URI refuses a malformed escape). */
    private static String raw(AuditServer s, String requestLine, String authorization) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", s.uri().getPort())) {
            socket.getOutputStream().write((requestLine + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + authorization
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            return new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    StandardCharsets.ISO_8859_1)).readLine();
        }
    }

    /** Pushes a config, one layer and the manifest with monolithic uploads; the manifest's bytes. */
    static byte[] push(AuditServer s, String authorization, String repo, String tag) throws Exception {
        byte[] config = "{\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8);
        byte[] layer = Fixtures.randomBytes(2048);
        for (byte[] blob : List.of(config, layer)) {
            var started = s.send("POST", "/v2/" + repo + "/blobs/uploads/", authorization, null, null);
            assertThat(started.statusCode()).isEqualTo(202);
            String location = started.headers().firstValue("Location").orElseThrow();
            String sep = location.contains("?") ? "&" : "?";
            var done = s.send("PUT", location + sep + "digest=" + Fixtures.digest(blob), authorization, blob,
                    "application/octet-stream");
            assertThat(done.statusCode()).isEqualTo(201);
        }
        byte[] manifest = Fixtures.manifest(config, layer);
        assertThat(s.send("PUT", "/v2/" + repo + "/manifests/" + tag, authorization, manifest, Fixtures.OCI_MANIFEST)
                .statusCode()).isEqualTo(201);
        return manifest;
    }
}
