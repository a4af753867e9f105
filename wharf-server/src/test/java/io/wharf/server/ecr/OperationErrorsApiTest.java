package io.wharf.server.ecr;

import static io.wharf.server.oci.Fixtures.OCI_INDEX;
import static io.wharf.server.oci.Fixtures.OCI_MANIFEST;
import static io.wharf.server.oci.Fixtures.descriptor;
import static io.wharf.server.oci.Fixtures.digest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.server.ecr.EcrOperation.Scope;
import io.wharf.server.oci.Fixtures;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.ecr.model.EcrException;
import software.amazon.awssdk.services.ecr.model.ImageFailureCode;
import software.amazon.awssdk.services.ecr.model.ImageIdentifier;
import software.amazon.awssdk.services.ecr.model.ImageTagMutability;
import software.amazon.awssdk.services.ecr.model.InvalidLayerPartException;
import software.amazon.awssdk.services.ecr.model.Tag;

/**
 * The error cases of every operation in the table that the per-area tests leave out: a missing
 * repository for every operation that names one (checked against the table, so a new operation
 * cannot slip through), uploads of other repositories, and the remaining per-operation failures.
 */
class OperationErrorsApiTest extends EcrTest {
    private static final String MISSING = "errors/missing";
    private static final String UUID = "0f0e0d0c-0b0a-0908-0706-050403020100";
    private static final String POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},\"Action\":\"ecr:BatchGetImage\"}]}";
    private static final String LIFECYCLE = "{\"rules\":[{\"rulePriority\":1,\"selection\":{\"tagStatus\":\"untagged\","
            + "\"countType\":\"imageCountMoreThan\",\"countNumber\":5},\"action\":{\"type\":\"expire\"}}]}";

    private static ImageIdentifier tag(String t) {
        return ImageIdentifier.builder().imageTag(t).build();
    }

    private static ImageIdentifier digestId(String d) {
        return ImageIdentifier.builder().imageDigest(d).build();
    }

    /** A well-formed call of each operation that names a repository, aimed at one that does not exist. */
    private static Map<String, ThrowingCallable> callsOnAMissingRepository() {
        String arn = "arn:aws:ecr:us-east-1:" + ACCOUNT + ":repository/" + MISSING;
        String layer = digest("layer".getBytes());
        SdkBytes part = SdkBytes.fromByteArray(new byte[10]);
        Map<String, ThrowingCallable> calls = new LinkedHashMap<>();
        calls.put("DescribeRepositories", () -> ecr.describeRepositories(b -> b.repositoryNames(MISSING)));
        calls.put("DeleteRepository", () -> ecr.deleteRepository(b -> b.repositoryName(MISSING).force(true)));
        calls.put("PutImageTagMutability", () -> ecr.putImageTagMutability(b -> b.repositoryName(MISSING)
                .imageTagMutability(ImageTagMutability.IMMUTABLE)));
        calls.put("PutImageScanningConfiguration", () -> ecr.putImageScanningConfiguration(b -> b.repositoryName(MISSING)
                .imageScanningConfiguration(s -> s.scanOnPush(true))));
        calls.put("ListImages", () -> ecr.listImages(b -> b.repositoryName(MISSING)));
        calls.put("DescribeImages", () -> ecr.describeImages(b -> b.repositoryName(MISSING)));
        calls.put("BatchGetImage", () -> ecr.batchGetImage(b -> b.repositoryName(MISSING).imageIds(tag("v1"))));
        calls.put("BatchDeleteImage", () -> ecr.batchDeleteImage(b -> b.repositoryName(MISSING).imageIds(tag("v1"))));
        calls.put("PutImage", () -> ecr.putImage(b -> b.repositoryName(MISSING).imageManifest(
                new String(Fixtures.manifest("{}".getBytes()), StandardCharsets.UTF_8)).imageTag("v1")));
        calls.put("BatchCheckLayerAvailability", () -> ecr.batchCheckLayerAvailability(b -> b.repositoryName(MISSING)
                .layerDigests(layer)));
        calls.put("InitiateLayerUpload", () -> ecr.initiateLayerUpload(b -> b.repositoryName(MISSING)));
        calls.put("UploadLayerPart", () -> ecr.uploadLayerPart(b -> b.repositoryName(MISSING).uploadId(UUID)
                .partFirstByte(0L).partLastByte(9L).layerPartBlob(part)));
        calls.put("CompleteLayerUpload", () -> ecr.completeLayerUpload(b -> b.repositoryName(MISSING).uploadId(UUID)
                .layerDigests(layer)));
        calls.put("GetDownloadUrlForLayer", () -> ecr.getDownloadUrlForLayer(b -> b.repositoryName(MISSING).layerDigest(layer)));
        calls.put("SetRepositoryPolicy", () -> ecr.setRepositoryPolicy(b -> b.repositoryName(MISSING).policyText(POLICY)));
        calls.put("GetRepositoryPolicy", () -> ecr.getRepositoryPolicy(b -> b.repositoryName(MISSING)));
        calls.put("DeleteRepositoryPolicy", () -> ecr.deleteRepositoryPolicy(b -> b.repositoryName(MISSING)));
        calls.put("PutLifecyclePolicy", () -> ecr.putLifecyclePolicy(b -> b.repositoryName(MISSING).lifecyclePolicyText(LIFECYCLE)));
        calls.put("GetLifecyclePolicy", () -> ecr.getLifecyclePolicy(b -> b.repositoryName(MISSING)));
        calls.put("DeleteLifecyclePolicy", () -> ecr.deleteLifecyclePolicy(b -> b.repositoryName(MISSING)));
        calls.put("StartLifecyclePolicyPreview", () -> ecr.startLifecyclePolicyPreview(b -> b.repositoryName(MISSING)
                .lifecyclePolicyText(LIFECYCLE)));
        calls.put("GetLifecyclePolicyPreview", () -> ecr.getLifecyclePolicyPreview(b -> b.repositoryName(MISSING)));
        calls.put("TagResource", () -> ecr.tagResource(b -> b.resourceArn(arn).tags(Tag.builder().key("k").value("v").build())));
        calls.put("UntagResource", () -> ecr.untagResource(b -> b.resourceArn(arn).tagKeys("k")));
        calls.put("ListTagsForResource", () -> ecr.listTagsForResource(b -> b.resourceArn(arn)));
        calls.put("StartImageScan", () -> ecr.startImageScan(b -> b.repositoryName(MISSING).imageId(tag("v1"))));
        calls.put("DescribeImageScanFindings", () -> ecr.describeImageScanFindings(b -> b.repositoryName(MISSING)
                .imageId(tag("v1"))));
        calls.put("DescribeImageReplicationStatus", () -> ecr.describeImageReplicationStatus(b -> b.repositoryName(MISSING)
                .imageId(tag("v1"))));
        return calls;
    }

    @Test
    void everyOperationNamingARepositoryAnswersRepositoryNotFound() {
        Set<String> naming = new TreeSet<>(new EcrOperations(r.registry, null, "us-east-1").table().values().stream()
                .filter(op -> op.scope() != Scope.REGISTRY)
                .map(EcrOperation::name).collect(Collectors.toSet()));
        naming.remove("CreateRepository"); // the one that expects the repository to be missing
        naming.remove("BatchGetRepositoryScanningConfiguration"); // lists missing ones as failures (ScanningConfigurationApiTest)
        Map<String, ThrowingCallable> calls = callsOnAMissingRepository();
        assertThat(new TreeSet<>(calls.keySet())).as("a call for every operation of the table that names a repository")
                .isEqualTo(naming);
        calls.forEach((name, call) -> assertThatThrownBy(call).as(name).isInstanceOfSatisfying(EcrException.class, e -> {
            assertThat(e.awsErrorDetails().errorCode()).as(name).isEqualTo("RepositoryNotFoundException");
            assertThat(e.awsErrorDetails().errorMessage()).as(name).contains("'" + MISSING + "'").contains(ACCOUNT);
        }));
        assertEcrError("RepositoryNotFoundException", () -> ecr.listImages(b -> b.registryId("111122223333")
                .repositoryName(MISSING)));
    }

    @Test
    void registryIdScopesRepositories() {
        ecr.createRepository(b -> b.repositoryName("errors/mine"));
        assertEcrError("RepositoryNotFoundException", () -> ecr.describeRepositories(b -> b.registryId("111122223333")
                .repositoryNames("errors/mine")));
        ecr.createRepository(b -> b.registryId("111122223333").repositoryName("errors/mine"));
        assertThat(ecr.describeRepositories(b -> b.registryId("111122223333")).repositories())
                .singleElement().satisfies(repo -> {
                    assertThat(repo.registryId()).isEqualTo("111122223333");
                    assertThat(repo.repositoryArn()).isEqualTo("arn:aws:ecr:us-east-1:111122223333:repository/errors/mine");
                });
    }

    @Test
    void uploadsBelongToTheirRepositoryAndEndWithCompletion() {
        ecr.createRepository(b -> b.repositoryName("errors/up-a"));
        ecr.createRepository(b -> b.repositoryName("errors/up-b"));
        String id = ecr.initiateLayerUpload(b -> b.repositoryName("errors/up-a")).uploadId();
        byte[] layer = Fixtures.randomBytes(100);
        SdkBytes bytes = SdkBytes.fromByteArray(layer);
        assertEcrError("UploadNotFoundException", () -> ecr.uploadLayerPart(b -> b.repositoryName("errors/up-b").uploadId(id)
                .partFirstByte(0L).partLastByte(99L).layerPartBlob(bytes)));
        assertEcrError("UploadNotFoundException", () -> ecr.uploadLayerPart(b -> b.repositoryName("errors/up-a").uploadId(UUID)
                .partFirstByte(0L).partLastByte(99L).layerPartBlob(bytes)));
        ecr.uploadLayerPart(b -> b.repositoryName("errors/up-a").uploadId(id).partFirstByte(0L).partLastByte(99L).layerPartBlob(bytes));
        assertEcrError("UploadNotFoundException", () -> ecr.completeLayerUpload(b -> b.repositoryName("errors/up-b").uploadId(id)
                .layerDigests(digest(layer))));
        ecr.completeLayerUpload(b -> b.repositoryName("errors/up-a").uploadId(id).layerDigests(digest(layer)));
        assertEcrError("UploadNotFoundException", () -> ecr.completeLayerUpload(b -> b.repositoryName("errors/up-a").uploadId(id)
                .layerDigests(digest(layer))));
        assertEcrError("UploadNotFoundException", () -> ecr.uploadLayerPart(b -> b.repositoryName("errors/up-a").uploadId(id)
                .partFirstByte(100L).partLastByte(199L).layerPartBlob(bytes)));
        var availability = ecr.batchCheckLayerAvailability(b -> b.repositoryName("errors/up-b").layerDigests(digest(layer)));
        assertThat(availability.layers().getFirst().layerAvailabilityAsString()).as("availability is per repository")
                .isEqualTo("UNAVAILABLE");
    }

    @Test
    void partsThatDoNotMatchTheirRangeAreInvalidLayerParts() {
        ecr.createRepository(b -> b.repositoryName("errors/parts"));
        String id = ecr.initiateLayerUpload(b -> b.repositoryName("errors/parts")).uploadId();
        SdkBytes ten = SdkBytes.fromByteArray(new byte[10]);
        for (long last : new long[] {8L, 10L}) {
            assertThatThrownBy(() -> ecr.uploadLayerPart(b -> b.repositoryName("errors/parts").uploadId(id)
                    .partFirstByte(0L).partLastByte(last).layerPartBlob(ten)))
                    .isInstanceOfSatisfying(InvalidLayerPartException.class, e -> {
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidLayerPartException");
                        assertThat(e.lastValidByteReceived()).isEqualTo(-1L);
                    });
        }
        assertEcrError("InvalidLayerPartException", () -> ecr.uploadLayerPart(b -> b.repositoryName("errors/parts").uploadId(id)
                .partFirstByte(0L).partLastByte(0L).layerPartBlob(SdkBytes.fromByteArray(new byte[0]))));
        assertThat(ecr.uploadLayerPart(b -> b.repositoryName("errors/parts").uploadId(id).partFirstByte(0L).partLastByte(9L)
                .layerPartBlob(ten)).lastByteReceived()).as("refused parts leave the upload usable").isEqualTo(9L);
        assertThatThrownBy(() -> ecr.uploadLayerPart(b -> b.repositoryName("errors/parts").uploadId(id)
                .partFirstByte(0L).partLastByte(9L).layerPartBlob(ten)))
                .as("a part sent twice").isInstanceOfSatisfying(InvalidLayerPartException.class,
                        e -> assertThat(e.lastValidByteReceived()).isEqualTo(9L));
    }

    @Test
    void describeImagesRefusesMalformedIdsAndReportsMismatchesAsNotFound() throws Exception {
        byte[] m = Fixtures.pushImage(r, "errors/describe", "v1");
        byte[] other = Fixtures.pushImage(r, "errors/describe", "v2");
        assertEcrError("InvalidParameterException", () -> ecr.describeImages(b -> b.repositoryName("errors/describe")
                .imageIds(digestId("sha256:xyz"))));
        assertEcrError("InvalidParameterException", () -> ecr.describeImages(b -> b.repositoryName("errors/describe")
                .imageIds(ImageIdentifier.builder().build())));
        assertEcrError("ImageNotFoundException", () -> ecr.describeImages(b -> b.repositoryName("errors/describe")
                .imageIds(digestId(digest("absent".getBytes())))));
        assertEcrError("ImageNotFoundException", () -> ecr.describeImages(b -> b.repositoryName("errors/describe")
                .imageIds(ImageIdentifier.builder().imageTag("v1").imageDigest(digest(other)).build())));
        assertThat(ecr.describeImages(b -> b.repositoryName("errors/describe")
                .imageIds(ImageIdentifier.builder().imageTag("v1").imageDigest(digest(m)).build())).imageDetails()).hasSize(1);
    }

    @Test
    void batchDeleteReportsEveryKindOfFailureAndKeepsGoing() throws Exception {
        byte[] m = Fixtures.pushImage(r, "errors/delete", "v1");
        byte[] other = Fixtures.pushImage(r, "errors/delete", "v2");
        var res = ecr.batchDeleteImage(b -> b.repositoryName("errors/delete").imageIds(
                ImageIdentifier.builder().build(),
                digestId("sha256:xyz"),
                ImageIdentifier.builder().imageTag("v1").imageDigest(digest(other)).build(),
                digestId(digest("absent".getBytes())),
                tag("v2")));
        assertThat(res.failures()).extracting(f -> f.failureCode()).containsExactlyInAnyOrder(
                ImageFailureCode.MISSING_DIGEST_AND_TAG, ImageFailureCode.INVALID_IMAGE_DIGEST,
                ImageFailureCode.IMAGE_TAG_DOES_NOT_MATCH_DIGEST, ImageFailureCode.IMAGE_NOT_FOUND);
        assertThat(res.imageIds()).containsExactly(ImageIdentifier.builder().imageDigest(digest(other)).imageTag("v2").build());
        assertThat(r.get("/v2/errors/delete/manifests/v1").statusCode()).as("the mismatched id deleted nothing").isEqualTo(200);
        assertThat(ecr.batchDeleteImage(b -> b.repositoryName("errors/delete").imageIds(tag("v2"))).failures())
                .singleElement().satisfies(f -> assertThat(f.failureCode()).isEqualTo(ImageFailureCode.IMAGE_NOT_FOUND));
        assertThat(ecr.batchDeleteImage(b -> b.repositoryName("errors/delete").imageIds(digestId(digest(m)))).imageIds())
                .containsExactly(ImageIdentifier.builder().imageDigest(digest(m)).imageTag("v1").build());
    }

    @Test
    void putImageNeedsChildManifestsAndBlobsOfThisRepository() throws Exception {
        byte[] elsewhere = Fixtures.pushImage(r, "errors/put-other", "v1");
        ecr.createRepository(b -> b.repositoryName("errors/put"));
        assertEcrError("LayersNotFoundException", () -> ecr.putImage(b -> b.repositoryName("errors/put")
                .imageManifest(new String(elsewhere, StandardCharsets.UTF_8))));
        String index = "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_INDEX + "\",\"manifests\":["
                + descriptor(OCI_MANIFEST, elsewhere) + "]}";
        assertEcrError("ReferencedImagesNotFoundException", () -> ecr.putImage(b -> b.repositoryName("errors/put")
                .imageManifest(index)));
        assertThat(ecr.putImage(b -> b.repositoryName("errors/put-other").imageManifest(index).imageTag("list"))
                .image().imageManifestMediaType()).isEqualTo(OCI_INDEX);
        assertEcrError("ImageAlreadyExistsException", () -> ecr.putImage(b -> b.repositoryName("errors/put-other")
                .imageManifest(index).imageTag("list")));
        String schema1 = "{\"schemaVersion\":1,\"name\":\"errors/put\",\"tag\":\"v1\",\"architecture\":\"amd64\","
                + "\"fsLayers\":[],\"history\":[]}";
        assertEcrError("InvalidParameterException", () -> ecr.putImage(b -> b.repositoryName("errors/put")
                .imageManifest(schema1).imageManifestMediaType("application/vnd.docker.distribution.manifest.v1+json")));
        assertThat(ecr.listImages(b -> b.repositoryName("errors/put")).imageIds()).isEmpty();
    }

    @Test
    void downloadUrlsNeedALayerOfThisRepository() throws Exception {
        byte[] manifest = Fixtures.pushImage(r, "errors/dl-a", "v1");
        ecr.createRepository(b -> b.repositoryName("errors/dl-b"));
        String layer = new com.fasterxml.jackson.databind.ObjectMapper().readTree(manifest).get("layers").get(0)
                .get("digest").asText();
        assertThat(ecr.getDownloadUrlForLayer(b -> b.repositoryName("errors/dl-a").layerDigest(layer)).layerDigest())
                .isEqualTo(layer);
        assertEcrError("LayersNotFoundException", () -> ecr.getDownloadUrlForLayer(b -> b.repositoryName("errors/dl-b")
                .layerDigest(layer)));
        ecr.batchDeleteImage(b -> b.repositoryName("errors/dl-a").imageIds(tag("v1")));
        assertEcrError("LayerInaccessibleException", () -> ecr.getDownloadUrlForLayer(b -> b.repositoryName("errors/dl-a")
                .layerDigest(layer)));
    }

    @Test
    void deletingARepositoryTakesItsPoliciesAlong() throws Exception {
        ecr.createRepository(b -> b.repositoryName("errors/docs"));
        ecr.setRepositoryPolicy(b -> b.repositoryName("errors/docs").policyText(POLICY));
        ecr.putLifecyclePolicy(b -> b.repositoryName("errors/docs").lifecyclePolicyText(LIFECYCLE));
        Fixtures.pushImage(r, "errors/docs", "v1");
        assertEcrError("RepositoryNotEmptyException", () -> ecr.deleteRepository(b -> b.repositoryName("errors/docs")));
        assertEcrError("RepositoryNotEmptyException", () -> ecr.deleteRepository(b -> b.repositoryName("errors/docs").force(false)));
        assertThat(ecr.getRepositoryPolicy(b -> b.repositoryName("errors/docs")).policyText())
                .as("a refused delete changes nothing").isEqualTo(POLICY);
        ecr.deleteRepository(b -> b.repositoryName("errors/docs").force(true));
        ecr.createRepository(b -> b.repositoryName("errors/docs"));
        assertEcrError("RepositoryPolicyNotFoundException", () -> ecr.getRepositoryPolicy(b -> b.repositoryName("errors/docs")));
        assertEcrError("LifecyclePolicyNotFoundException", () -> ecr.getLifecyclePolicy(b -> b.repositoryName("errors/docs")));
        assertThat(ecr.listImages(b -> b.repositoryName("errors/docs")).imageIds()).isEmpty();
    }

    @Test
    void taggingOperationsNeedARepositoryArn() {
        String arn = ecr.createRepository(b -> b.repositoryName("errors/tags")).repository().repositoryArn();
        for (String bad : new String[] {"arn:aws:s3:::bucket", "not an arn", "arn:aws:ecr:us-east-1:123:repository/errors/tags",
                "arn:aws:ecr:us-east-1:" + ACCOUNT + ":repository/", "arn:aws:ecr:us-east-1:" + ACCOUNT + ":repository/Errors"}) {
            assertEcrError("InvalidParameterException", () -> ecr.tagResource(b -> b.resourceArn(bad)
                    .tags(Tag.builder().key("k").value("v").build())));
            assertEcrError("InvalidParameterException", () -> ecr.untagResource(b -> b.resourceArn(bad).tagKeys("k")));
            assertEcrError("InvalidParameterException", () -> ecr.listTagsForResource(b -> b.resourceArn(bad)));
        }
        assertEcrError("InvalidParameterException", () -> ecr.listTagsForResource(b -> { }));
        ecr.tagResource(b -> b.resourceArn(arn).tags(Tag.builder().key("k").value("v").build()));
        ecr.untagResource(b -> b.resourceArn(arn).tagKeys("absent"));
        assertThat(ecr.listTagsForResource(b -> b.resourceArn(arn)).tags()).containsExactly(Tag.builder().key("k").value("v").build());
    }

    @Test
    void registryPoliciesAndLifecyclePoliciesRefuseBadDocuments() {
        ecr.createRepository(b -> b.repositoryName("errors/policies"));
        for (String bad : new String[] {"{}", "[]", "{\"Version\":\"2012-10-17\"}",
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Maybe\",\"Action\":\"ecr:*\",\"Resource\":\"*\"}]}"}) {
            assertThatThrownBy(() -> ecr.setRepositoryPolicy(b -> b.repositoryName("errors/policies").policyText(bad)))
                    .as(bad).isInstanceOfSatisfying(EcrException.class, e -> {
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterException");
                        assertThat(e.awsErrorDetails().errorMessage()).contains("Invalid repository policy provided");
                    });
            assertEcrError("InvalidParameterException", () -> ecr.putRegistryPolicy(b -> b.policyText(bad)));
        }
        assertEcrError("RegistryPolicyNotFoundException", () -> ecr.getRegistryPolicy(b -> { }));
        assertEcrError("RepositoryPolicyNotFoundException", () -> ecr.getRepositoryPolicy(b -> b.repositoryName("errors/policies")));
        String notJson = LIFECYCLE.substring(0, LIFECYCLE.length() - 1) + " ".repeat(10);
        assertEcrError("InvalidParameterException", () -> ecr.putLifecyclePolicy(b -> b.repositoryName("errors/policies")
                .lifecyclePolicyText(notJson)));
        assertEcrError("LifecyclePolicyNotFoundException", () -> ecr.getLifecyclePolicy(b -> b.repositoryName("errors/policies")));
    }
}
