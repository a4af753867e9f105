package io.wharf.server.ecr;

import static io.wharf.server.ecr.EcrFixtures.assertConstraint;
import static io.wharf.server.ecr.EcrFixtures.listOf;
import static io.wharf.server.oci.Fixtures.OCI_MANIFEST;
import static io.wharf.server.oci.Fixtures.digest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.server.oci.Fixtures;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.ecr.model.EcrException;
import software.amazon.awssdk.services.ecr.model.EncryptionType;
import software.amazon.awssdk.services.ecr.model.ImageFailureCode;
import software.amazon.awssdk.services.ecr.model.ImageIdentifier;
import software.amazon.awssdk.services.ecr.model.ImageTagMutability;
import software.amazon.awssdk.services.ecr.model.ImageTagMutabilityExclusionFilter;
import software.amazon.awssdk.services.ecr.model.Repository;
import software.amazon.awssdk.services.ecr.model.ScanFrequency;
import software.amazon.awssdk.services.ecr.model.ScanType;
import software.amazon.awssdk.services.ecr.model.ScanningRepositoryFilterType;
import software.amazon.awssdk.services.ecr.model.Tag;

/**
 * Model constraints the Java SDK sends unchecked, enforced by the server as InvalidParameterException
 * (resource tags: InvalidTagParameterException), each probed just past and, where cheap, right at its bound.
 */
class ModelConstraintsApiTest extends EcrTest {
    private static final String POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},\"Action\":\"ecr:BatchGetImage\"}]}";
    private static final String LIFECYCLE = "{\"rules\":[{\"rulePriority\":1,\"selection\":{\"tagStatus\":\"untagged\","
            + "\"countType\":\"imageCountMoreThan\",\"countNumber\":5},\"action\":{\"type\":\"expire\"}}]}";

    private static ImageTagMutabilityExclusionFilter filter(String type, String value) {
        return ImageTagMutabilityExclusionFilter.builder().filterType(type).filter(value).build();
    }

    private static ImageIdentifier tag(String t) {
        return ImageIdentifier.builder().imageTag(t).build();
    }

    /** {@code text} padded with trailing blanks to exactly {@code length} characters (still the same JSON). */
    private static String padded(String text, int length) {
        return text + " ".repeat(length - text.length());
    }

    @Test
    void repositoryNamesFollowTheRegexAndTwoTo256Characters() {
        String longest = "a".repeat(128) + "/" + "b".repeat(127);
        assertThat(longest).hasSize(256);
        Repository repo = ecr.createRepository(b -> b.repositoryName(longest)).repository();
        assertThat(repo.repositoryName()).isEqualTo(longest);
        assertThat(ecr.describeRepositories(b -> b.repositoryNames(longest)).repositories()).hasSize(1);
        ecr.deleteRepository(b -> b.repositoryName(longest));
        assertConstraint("repositoryName", () -> ecr.createRepository(b -> b.repositoryName(longest + "c")));
        assertConstraint("repositoryName", () -> ecr.createRepository(b -> b.repositoryName("a")));
        assertConstraint("repositoryName", () -> ecr.createRepository(b -> b.repositoryName("")));
        for (String bad : List.of("Upper", "team/App", "/lead", "trail/", "a//b", "-dash", "dash-", "a..b", "a b", "a:b", "a@b")) {
            assertConstraint("repositoryName", () -> ecr.createRepository(b -> b.repositoryName(bad)));
        }
        for (String good : List.of("ab", "0a", "a__b", "a--b", "a.b-c_d/e", "x/y/z")) {
            assertThat(ecr.createRepository(b -> b.repositoryName(good)).repository().repositoryName()).isEqualTo(good);
        }
        assertConstraint("repositoryNames", () -> ecr.describeRepositories(b -> b.repositoryNames("ab", "Bad")));
        assertConstraint("repositoryName", () -> ecr.listImages(b -> b.repositoryName("Bad")));
        assertConstraint("repositoryName", () -> ecr.describeImages(b -> b.repositoryName("a".repeat(257))));
        assertConstraint("repositoryName", () -> ecr.initiateLayerUpload(b -> b.repositoryName("x")));
        assertConstraint("repositoryName", () -> ecr.getRepositoryPolicy(b -> b.repositoryName("Bad")));
        assertConstraint("repositoryName", () -> ecr.putImage(b -> b.repositoryName("Bad").imageManifest("{}")));
        assertConstraint("resourceArn", () -> ecr.listTagsForResource(b -> b.resourceArn(
                "arn:aws:ecr:us-east-1:" + ACCOUNT + ":repository/Bad")));
    }

    @Test
    void registryIdsAreTwelveDigits() {
        ecr.createRepository(b -> b.repositoryName("constraints/registry"));
        for (String bad : List.of("12345678901", "1234567890123", "abcdefghijkl", "")) {
            assertConstraint("registryId", () -> ecr.describeRepositories(b -> b.registryId(bad)));
            assertConstraint("registryId", () -> ecr.listImages(b -> b.registryId(bad).repositoryName("constraints/registry")));
        }
        assertEcrError("InvalidParameterException", () -> ecr.getAuthorizationToken(b -> b.registryIds(ACCOUNT, "1")));
    }

    @Test
    void imageTagsAreOneTo300CharactersAndFollowTheOciGrammar() throws Exception {
        byte[] m = Fixtures.pushImage(r, "constraints/tags", "base");
        String manifest = new String(m, StandardCharsets.UTF_8);
        String longest = "v".repeat(128);
        assertThat(ecr.putImage(b -> b.repositoryName("constraints/tags").imageManifest(manifest).imageTag(longest))
                .image().imageId().imageTag()).isEqualTo(longest);
        for (String bad : List.of("", "v".repeat(301))) {
            assertConstraint("imageTag", () -> ecr.putImage(b -> b.repositoryName("constraints/tags")
                    .imageManifest(manifest).imageTag(bad)));
            assertConstraint("imageTag", () -> ecr.describeImages(b -> b.repositoryName("constraints/tags").imageIds(tag(bad))));
            assertConstraint("imageTag", () -> ecr.batchGetImage(b -> b.repositoryName("constraints/tags").imageIds(tag(bad))));
            assertConstraint("imageTag", () -> ecr.batchDeleteImage(b -> b.repositoryName("constraints/tags").imageIds(tag(bad))));
        }
        // within ECR's 300 characters but outside the OCI grammar (a documented difference)
        for (String oci : List.of("v".repeat(129), "a/b", ".dot", "-dash")) {
            assertEcrError("InvalidParameterException", () -> ecr.putImage(b -> b.repositoryName("constraints/tags")
                    .imageManifest(manifest).imageTag(oci)));
            var got = ecr.batchGetImage(b -> b.repositoryName("constraints/tags").imageIds(tag(oci), tag("base")));
            assertThat(got.images()).hasSize(1);
            assertThat(got.failures()).singleElement().satisfies(f -> {
                assertThat(f.failureCode()).isEqualTo(ImageFailureCode.INVALID_IMAGE_TAG);
                assertThat(f.imageId().imageTag()).isEqualTo(oci);
            });
            var deleted = ecr.batchDeleteImage(b -> b.repositoryName("constraints/tags").imageIds(tag(oci)));
            assertThat(deleted.failures()).singleElement().satisfies(f ->
                    assertThat(f.failureCode()).isEqualTo(ImageFailureCode.INVALID_IMAGE_TAG));
        }
        assertThat(ecr.describeImages(b -> b.repositoryName("constraints/tags")).imageDetails().getFirst().imageTags())
                .containsExactlyInAnyOrder("base", longest);
    }

    @Test
    void imageIdListsHoldOneTo100Entries() throws Exception {
        Fixtures.pushImage(r, "constraints/ids", "t000");
        for (int size : new int[] {0, 101}) {
            List<ImageIdentifier> ids = EcrFixtures.tagIds(size);
            assertConstraint("imageIds", () -> ecr.batchGetImage(b -> b.repositoryName("constraints/ids").imageIds(ids)));
            assertConstraint("imageIds", () -> ecr.batchDeleteImage(b -> b.repositoryName("constraints/ids").imageIds(ids)));
            assertConstraint("imageIds", () -> ecr.describeImages(b -> b.repositoryName("constraints/ids").imageIds(ids)));
        }
        assertConstraint("imageIds", () -> ecr.batchGetImage(b -> b.repositoryName("constraints/ids")));
        assertConstraint("imageIds", () -> ecr.batchDeleteImage(b -> b.repositoryName("constraints/ids")));
        var hundred = ecr.batchGetImage(b -> b.repositoryName("constraints/ids").imageIds(EcrFixtures.tagIds(100)));
        assertThat(hundred.images()).hasSize(1);
        assertThat(hundred.failures()).hasSize(99);
        assertConstraint("acceptedMediaTypes", () -> ecr.batchGetImage(b -> b.repositoryName("constraints/ids")
                .imageIds(tag("t000")).acceptedMediaTypes(List.of())));
        assertConstraint("acceptedMediaTypes", () -> ecr.batchGetImage(b -> b.repositoryName("constraints/ids")
                .imageIds(tag("t000")).acceptedMediaTypes(listOf(101, i -> "application/x-" + i))));
        assertThat(ecr.batchGetImage(b -> b.repositoryName("constraints/ids").imageIds(tag("t000"))
                .acceptedMediaTypes(listOf(100, i -> i == 99 ? OCI_MANIFEST : "application/x-" + i))).images()).hasSize(1);
    }

    @Test
    void putImageBoundsTheManifestAndChecksTheDigestFormat() throws Exception {
        byte[] m = Fixtures.pushImage(r, "constraints/put", "base");
        String manifest = new String(m, StandardCharsets.UTF_8);
        assertConstraint("imageManifest", () -> ecr.putImage(b -> b.repositoryName("constraints/put")));
        assertConstraint("imageManifest", () -> ecr.putImage(b -> b.repositoryName("constraints/put").imageManifest("")));
        String huge = padded(manifest, 4_194_305);
        assertConstraint("imageManifest", () -> ecr.putImage(b -> b.repositoryName("constraints/put").imageManifest(huge)));
        for (String bad : List.of("sha256", "sha256:", "sha256:xyz", "not a digest")) {
            assertConstraint("imageDigest", () -> ecr.putImage(b -> b.repositoryName("constraints/put")
                    .imageManifest(manifest).imageTag("x").imageDigest(bad)));
        }
        assertThat(ecr.putImage(b -> b.repositoryName("constraints/put").imageManifest(manifest).imageTag("x")
                .imageDigest(digest(m))).image().imageId().imageDigest()).isEqualTo(digest(m));
    }

    @Test
    void layerDigestListsHoldOneTo100Entries() {
        ecr.createRepository(b -> b.repositoryName("constraints/layers"));
        String absent = digest("absent".getBytes());
        for (int size : new int[] {0, 101}) {
            List<String> digests = listOf(size, i -> absent);
            assertConstraint("layerDigests", () -> ecr.batchCheckLayerAvailability(b -> b.repositoryName("constraints/layers")
                    .layerDigests(digests)));
            String id = ecr.initiateLayerUpload(b -> b.repositoryName("constraints/layers")).uploadId();
            assertConstraint("layerDigests", () -> ecr.completeLayerUpload(b -> b.repositoryName("constraints/layers")
                    .uploadId(id).layerDigests(digests)));
        }
        assertConstraint("layerDigests", () -> ecr.batchCheckLayerAvailability(b -> b.repositoryName("constraints/layers")));
        var hundred = ecr.batchCheckLayerAvailability(b -> b.repositoryName("constraints/layers")
                .layerDigests(listOf(100, i -> absent)));
        assertThat(hundred.layers()).hasSize(100);
        String id = ecr.initiateLayerUpload(b -> b.repositoryName("constraints/layers")).uploadId();
        assertConstraint("layerDigests", () -> ecr.completeLayerUpload(b -> b.repositoryName("constraints/layers")
                .uploadId(id)));
        assertConstraint("layerDigests", () -> ecr.completeLayerUpload(b -> b.repositoryName("constraints/layers")
                .uploadId(id).layerDigests("sha256:zz")));
        assertConstraint("layerDigest", () -> ecr.getDownloadUrlForLayer(b -> b.repositoryName("constraints/layers")
                .layerDigest("sha256:zz")));
        assertConstraint("layerDigest", () -> ecr.getDownloadUrlForLayer(b -> b.repositoryName("constraints/layers")));
    }

    @Test
    void uploadLayerPartChecksItsMembers() {
        ecr.createRepository(b -> b.repositoryName("constraints/parts"));
        String id = ecr.initiateLayerUpload(b -> b.repositoryName("constraints/parts")).uploadId();
        SdkBytes ten = SdkBytes.fromByteArray(new byte[10]);
        assertConstraint("uploadId", () -> ecr.uploadLayerPart(b -> b.repositoryName("constraints/parts")
                .partFirstByte(0L).partLastByte(9L).layerPartBlob(ten)));
        assertConstraint("uploadId", () -> ecr.uploadLayerPart(b -> b.repositoryName("constraints/parts").uploadId("upload-1")
                .partFirstByte(0L).partLastByte(9L).layerPartBlob(ten)));
        assertConstraint("partFirstByte", () -> ecr.uploadLayerPart(b -> b.repositoryName("constraints/parts").uploadId(id)
                .partLastByte(9L).layerPartBlob(ten)));
        assertConstraint("partFirstByte", () -> ecr.uploadLayerPart(b -> b.repositoryName("constraints/parts").uploadId(id)
                .partFirstByte(-1L).partLastByte(9L).layerPartBlob(ten)));
        assertConstraint("partLastByte", () -> ecr.uploadLayerPart(b -> b.repositoryName("constraints/parts").uploadId(id)
                .partFirstByte(0L).layerPartBlob(ten)));
        assertConstraint("partLastByte", () -> ecr.uploadLayerPart(b -> b.repositoryName("constraints/parts").uploadId(id)
                .partFirstByte(5L).partLastByte(4L).layerPartBlob(ten)));
        assertConstraint("layerPartBlob", () -> ecr.uploadLayerPart(b -> b.repositoryName("constraints/parts").uploadId(id)
                .partFirstByte(0L).partLastByte(9L)));
        assertThat(ecr.uploadLayerPart(b -> b.repositoryName("constraints/parts").uploadId(id.toUpperCase())
                .partFirstByte(0L).partLastByte(9L).layerPartBlob(ten)).lastByteReceived()).isEqualTo(9L);
    }

    @Test
    void resourceTagsHaveBoundedKeysAndValuesAndAtMost50PerRepository() {
        Tag key128 = Tag.builder().key("k".repeat(128)).value("v".repeat(256)).build();
        Tag emptyValue = Tag.builder().key("empty").value("").build();
        String arn = ecr.createRepository(b -> b.repositoryName("constraints/rtags").tags(key128, emptyValue))
                .repository().repositoryArn();
        assertThat(ecr.listTagsForResource(b -> b.resourceArn(arn)).tags()).containsExactlyInAnyOrder(key128, emptyValue);
        List<Tag> bad = List.of(Tag.builder().key("k".repeat(129)).value("v").build(),
                Tag.builder().key("v").value("v".repeat(257)).build(),
                Tag.builder().key("").value("v").build(),
                Tag.builder().key("AWS:Upper").value("v").build());
        for (Tag t : bad) {
            assertEcrError("InvalidTagParameterException", () -> ecr.createRepository(b -> b.repositoryName("constraints/never")
                    .tags(t)));
            assertEcrError("InvalidTagParameterException", () -> ecr.tagResource(b -> b.resourceArn(arn).tags(t)));
        }
        assertEcrError("RepositoryNotFoundException", () -> ecr.describeRepositories(b -> b.repositoryNames("constraints/never")));
        assertEcrError("InvalidTagParameterException", () -> ecr.untagResource(b -> b.resourceArn(arn).tagKeys("aws:x")));
        assertEcrError("InvalidTagParameterException", () -> ecr.untagResource(b -> b.resourceArn(arn).tagKeys("")));
        assertConstraint("tags", () -> ecr.tagResource(b -> b.resourceArn(arn)));
        assertConstraint("tagKeys", () -> ecr.untagResource(b -> b.resourceArn(arn)));
        assertConstraint("resourceArn", () -> ecr.tagResource(b -> b.tags(emptyValue)));

        // the quota counts the merged set: 2 present + 48 new = 50 is fine, one more is not
        ecr.tagResource(b -> b.resourceArn(arn).tags(listOf(48, i -> Tag.builder().key("n" + i).value("v").build())));
        assertThat(ecr.listTagsForResource(b -> b.resourceArn(arn)).tags()).hasSize(50);
        ecr.tagResource(b -> b.resourceArn(arn).tags(Tag.builder().key("n0").value("overwritten").build()));
        assertEcrError("TooManyTagsException", () -> ecr.tagResource(b -> b.resourceArn(arn)
                .tags(Tag.builder().key("one-more").value("v").build())));
        assertThat(ecr.listTagsForResource(b -> b.resourceArn(arn)).tags()).hasSize(50)
                .contains(Tag.builder().key("n0").value("overwritten").build());
        assertThat(ecr.createRepository(b -> b.repositoryName("constraints/fifty")
                .tags(listOf(50, i -> Tag.builder().key("k" + i).value("v").build()))).repository()).isNotNull();
    }

    @Test
    void policyTextsAreBoundedBySize() {
        ecr.createRepository(b -> b.repositoryName("constraints/policy"));
        String repoMax = padded(POLICY, 10_240);
        assertThat(ecr.setRepositoryPolicy(b -> b.repositoryName("constraints/policy").policyText(repoMax)).policyText())
                .isEqualTo(repoMax);
        assertConstraint("policyText", () -> ecr.setRepositoryPolicy(b -> b.repositoryName("constraints/policy")
                .policyText(repoMax + " ")));
        assertConstraint("policyText", () -> ecr.setRepositoryPolicy(b -> b.repositoryName("constraints/policy")));
        assertEcrError("InvalidParameterException", () -> ecr.setRepositoryPolicy(b -> b.repositoryName("constraints/policy")
                .policyText("")));

        String registryPolicy = POLICY.replace("}]}", ",\"Resource\":\"*\"}]}");
        String registryMax = padded(registryPolicy, 10_240);
        assertThat(ecr.putRegistryPolicy(b -> b.policyText(registryMax)).policyText()).isEqualTo(registryMax);
        assertConstraint("policyText", () -> ecr.putRegistryPolicy(b -> b.policyText(registryMax + " ")));
        assertConstraint("policyText", () -> ecr.putRegistryPolicy(b -> { }));
        ecr.deleteRegistryPolicy(b -> { });

        String lifecycleMax = padded(LIFECYCLE, 30_720);
        assertThat(ecr.putLifecyclePolicy(b -> b.repositoryName("constraints/policy").lifecyclePolicyText(lifecycleMax))
                .lifecyclePolicyText()).isEqualTo(lifecycleMax);
        assertConstraint("lifecyclePolicyText", () -> ecr.putLifecyclePolicy(b -> b.repositoryName("constraints/policy")
                .lifecyclePolicyText(lifecycleMax + " ")));
        // no valid policy is shorter than 100 characters, so the length check must speak first (lower-case member name)
        assertThatThrownBy(() -> ecr.putLifecyclePolicy(b -> b.repositoryName("constraints/policy")
                .lifecyclePolicyText("{\"rules\":[]}")))
                .isInstanceOfSatisfying(EcrException.class, e -> assertThat(e.awsErrorDetails().errorMessage())
                        .contains("'lifecyclePolicyText'").contains("greater than or equal to 100"));
        assertConstraint("lifecyclePolicyText", () -> ecr.putLifecyclePolicy(b -> b.repositoryName("constraints/policy")));
    }

    @Test
    void tagMutabilitySettingsAreChecked() {
        ecr.createRepository(b -> b.repositoryName("constraints/mutability"));
        List<ImageTagMutabilityExclusionFilter> five = listOf(5, i -> filter("WILDCARD", "v" + i + "*"));
        List<ImageTagMutabilityExclusionFilter> six = listOf(6, i -> filter("WILDCARD", "v" + i + "*"));
        assertThat(ecr.putImageTagMutability(b -> b.repositoryName("constraints/mutability")
                .imageTagMutability(ImageTagMutability.MUTABLE_WITH_EXCLUSION).imageTagMutabilityExclusionFilters(five))
                .imageTagMutabilityExclusionFilters()).hasSize(5);
        assertConstraint("imageTagMutabilityExclusionFilters", () -> ecr.putImageTagMutability(b -> b
                .repositoryName("constraints/mutability").imageTagMutability(ImageTagMutability.MUTABLE_WITH_EXCLUSION)
                .imageTagMutabilityExclusionFilters(six)));
        assertConstraint("imageTagMutabilityExclusionFilters", () -> ecr.createRepository(b -> b
                .repositoryName("constraints/never").imageTagMutability(ImageTagMutability.IMMUTABLE_WITH_EXCLUSION)
                .imageTagMutabilityExclusionFilters(six)));
        assertConstraint("imageTagMutabilityExclusionFilters", () -> ecr.putImageTagMutability(b -> b
                .repositoryName("constraints/mutability").imageTagMutability(ImageTagMutability.IMMUTABLE_WITH_EXCLUSION)
                .imageTagMutabilityExclusionFilters(List.of())));
        assertConstraint("imageTagMutabilityExclusionFilters", () -> ecr.putImageTagMutability(b -> b
                .repositoryName("constraints/mutability").imageTagMutability(ImageTagMutability.IMMUTABLE)
                .imageTagMutabilityExclusionFilters(filter("WILDCARD", "v*"))));
        assertConstraint("filterType", () -> ecr.putImageTagMutability(b -> b.repositoryName("constraints/mutability")
                .imageTagMutability(ImageTagMutability.MUTABLE_WITH_EXCLUSION).imageTagMutabilityExclusionFilters(filter("REGEX", "v.*"))));
        assertConstraint("filter", () -> ecr.putImageTagMutability(b -> b.repositoryName("constraints/mutability")
                .imageTagMutability(ImageTagMutability.MUTABLE_WITH_EXCLUSION)
                .imageTagMutabilityExclusionFilters(filter("WILDCARD", "v".repeat(129)))));
        assertConstraint("imageTagMutability", () -> ecr.putImageTagMutability(b -> b.repositoryName("constraints/mutability")
                .imageTagMutability("SOMETIMES")));
        assertThat(ecr.describeRepositories(b -> b.repositoryNames("constraints/mutability")).repositories().getFirst()
                .imageTagMutabilityExclusionFilters()).as("refused changes leave the settings alone").hasSize(5);
        assertConstraint("imageScanningConfiguration", () -> ecr.putImageScanningConfiguration(b -> b
                .repositoryName("constraints/mutability")));
    }

    @Test
    void encryptionSettingsAreChecked() {
        assertConstraint("encryptionConfiguration.encryptionType", () -> ecr.createRepository(b -> b.repositoryName("constraints/enc")
                .encryptionConfiguration(e -> e.encryptionType("ROT13"))));
        assertConstraint("encryptionConfiguration.encryptionType", () -> ecr.createRepository(b -> b.repositoryName("constraints/enc")
                .encryptionConfiguration(e -> e.kmsKey("alias/mine"))));
        assertConstraint("encryptionConfiguration.kmsKey", () -> ecr.createRepository(b -> b.repositoryName("constraints/enc")
                .encryptionConfiguration(e -> e.encryptionType(EncryptionType.KMS).kmsKey("k".repeat(2049)))));
        assertEcrError("InvalidParameterException", () -> ecr.createRepository(b -> b.repositoryName("constraints/enc")
                .encryptionConfiguration(e -> e.encryptionType(EncryptionType.AES256).kmsKey("alias/mine"))));
        assertEcrError("RepositoryNotFoundException", () -> ecr.describeRepositories(b -> b.repositoryNames("constraints/enc")));
        var dsse = ecr.createRepository(b -> b.repositoryName("constraints/enc")
                .encryptionConfiguration(e -> e.encryptionType(EncryptionType.KMS_DSSE).kmsKey("alias/mine"))).repository();
        assertThat(dsse.encryptionConfiguration().encryptionType()).isEqualTo(EncryptionType.KMS_DSSE);
        assertThat(dsse.encryptionConfiguration().kmsKey()).isEqualTo("alias/mine");
    }

    @Test
    void registryScanningConfigurationsAreChecked() {
        var rule = software.amazon.awssdk.services.ecr.model.RegistryScanningRule.builder()
                .scanFrequency(ScanFrequency.SCAN_ON_PUSH)
                .repositoryFilters(f -> f.filter("*").filterType(ScanningRepositoryFilterType.WILDCARD)).build();
        assertConstraint("rules", () -> ecr.putRegistryScanningConfiguration(b -> b.scanType(ScanType.ENHANCED)
                .rules(rule, rule, rule)));
        assertConstraint("scanType", () -> ecr.putRegistryScanningConfiguration(b -> b.scanType("THOROUGH")));
        assertConstraint("scanFrequency", () -> ecr.putRegistryScanningConfiguration(b -> b.scanType(ScanType.BASIC)
                .rules(r -> r.scanFrequency("HOURLY").repositoryFilters(f -> f.filter("*").filterType("WILDCARD")))));
        assertConstraint("filterType", () -> ecr.putRegistryScanningConfiguration(b -> b.scanType(ScanType.BASIC)
                .rules(r -> r.scanFrequency(ScanFrequency.SCAN_ON_PUSH).repositoryFilters(f -> f.filter("*").filterType("PREFIX")))));
        assertConstraint("filter", () -> ecr.putRegistryScanningConfiguration(b -> b.scanType(ScanType.BASIC)
                .rules(r -> r.scanFrequency(ScanFrequency.SCAN_ON_PUSH).repositoryFilters(f -> f.filter("Prod").filterType("WILDCARD")))));
        assertConstraint("repositoryFilters", () -> ecr.putRegistryScanningConfiguration(b -> b.scanType(ScanType.BASIC)
                .rules(r -> r.scanFrequency(ScanFrequency.SCAN_ON_PUSH))));
        assertThat(ecr.getRegistryScanningConfiguration(b -> { }).scanningConfiguration().scanType())
                .as("refused configurations are not stored").isEqualTo(ScanType.BASIC);
        assertThat(ecr.putRegistryScanningConfiguration(b -> b.scanType(ScanType.BASIC).rules(rule, rule))
                .registryScanningConfiguration().rules()).hasSize(2);
        ecr.putRegistryScanningConfiguration(b -> b.scanType(ScanType.BASIC));
    }

    @Test
    void authorizationTokensAreIssuedForOneToTenRegistries() {
        assertThat(ecr.getAuthorizationToken(b -> b.registryIds(listOf(10, i -> "%012d".formatted(i)))).authorizationData())
                .hasSize(10);
        assertConstraint("registryIds", () -> ecr.getAuthorizationToken(b -> b.registryIds(listOf(11, i -> "%012d".formatted(i)))));
        assertConstraint("registryIds", () -> ecr.getAuthorizationToken(b -> b.registryIds(List.of())));
    }
}
