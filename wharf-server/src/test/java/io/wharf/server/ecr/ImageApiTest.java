package io.wharf.server.ecr;

import static io.wharf.server.oci.Fixtures.OCI_CONFIG;
import static io.wharf.server.oci.Fixtures.OCI_INDEX;
import static io.wharf.server.oci.Fixtures.OCI_MANIFEST;
import static io.wharf.server.oci.Fixtures.descriptor;
import static io.wharf.server.oci.Fixtures.digest;
import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.server.oci.Fixtures;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecr.model.ImageDetail;
import software.amazon.awssdk.services.ecr.model.ImageFailureCode;
import software.amazon.awssdk.services.ecr.model.ImageIdentifier;
import software.amazon.awssdk.services.ecr.model.ListImagesResponse;
import software.amazon.awssdk.services.ecr.model.TagStatus;

/** ListImages, DescribeImages, BatchGetImage, BatchDeleteImage, PutImage, and their agreement with /v2/. */
class ImageApiTest extends EcrTest {

    private static ImageIdentifier tag(String t) {
        return ImageIdentifier.builder().imageTag(t).build();
    }

    private static ImageIdentifier digestId(String d) {
        return ImageIdentifier.builder().imageDigest(d).build();
    }

    private static String str(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void anImagePushedOverV2IsDescribed() throws Exception {
        Instant before = Instant.now().minusSeconds(2);
        byte[] manifest = Fixtures.pushImage(r, "cross/docker", "v1");
        ImageDetail d = ecr.describeImages(b -> b.repositoryName("cross/docker")).imageDetails().getFirst();
        assertThat(d.imageDigest()).isEqualTo(digest(manifest));
        assertThat(d.imageTags()).containsExactly("v1");
        assertThat(d.registryId()).isEqualTo(ACCOUNT);
        assertThat(d.repositoryName()).isEqualTo("cross/docker");
        assertThat(d.imageManifestMediaType()).isEqualTo(OCI_MANIFEST);
        assertThat(d.artifactMediaType()).isEqualTo(OCI_CONFIG);
        assertThat(d.imagePushedAt()).isAfter(before);
        assertThat(d.imageSizeInBytes()).isEqualTo(1024 + configSize(manifest));
        assertThat(d.lastRecordedPullTime()).isNull();
        assertThat(d.subjectManifestDigest()).isNull();
    }

    private static long configSize(byte[] manifest) throws Exception {
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(manifest).get("config").get("size").asLong();
    }

    @Test
    void pullsOverV2AreRecordedButHeadsAreNot() throws Exception {
        Fixtures.pushImage(r, "cross/pulled", "v1");
        assertThat(r.head("/v2/cross/pulled/manifests/v1").statusCode()).isEqualTo(200);
        assertThat(ecr.describeImages(b -> b.repositoryName("cross/pulled")).imageDetails().getFirst().lastRecordedPullTime()).isNull();
        assertThat(r.get("/v2/cross/pulled/manifests/v1").statusCode()).isEqualTo(200);
        Instant pulled = ecr.describeImages(b -> b.repositoryName("cross/pulled")).imageDetails().getFirst().lastRecordedPullTime();
        assertThat(pulled).isNotNull().isBefore(Instant.now().plusSeconds(1));
        r.get("/v2/cross/pulled/manifests/v1");
        assertThat(ecr.describeImages(b -> b.repositoryName("cross/pulled")).imageDetails().getFirst().lastRecordedPullTime())
                .as("recorded at most once a day").isEqualTo(pulled);
    }

    @Test
    void listImagesHasOneEntryPerTagAndOnePerUntaggedImage() throws Exception {
        byte[] a = Fixtures.pushImage(r, "list/app", "a1");
        r.send("PUT", "/v2/list/app/manifests/a2", a, "Content-Type", OCI_MANIFEST);
        byte[] old = Fixtures.pushImage(r, "list/app", "moving");
        byte[] now = Fixtures.pushImage(r, "list/app", "moving"); // "old" is left untagged
        var all = ecr.listImages(b -> b.repositoryName("list/app")).imageIds();
        assertThat(all).containsExactlyInAnyOrder(
                ImageIdentifier.builder().imageDigest(digest(a)).imageTag("a1").build(),
                ImageIdentifier.builder().imageDigest(digest(a)).imageTag("a2").build(),
                ImageIdentifier.builder().imageDigest(digest(now)).imageTag("moving").build(),
                digestId(digest(old)));
        assertThat(ecr.listImages(b -> b.repositoryName("list/app").filter(f -> f.tagStatus(TagStatus.UNTAGGED))).imageIds())
                .containsExactly(digestId(digest(old)));
        assertThat(ecr.listImages(b -> b.repositoryName("list/app").filter(f -> f.tagStatus(TagStatus.TAGGED))).imageIds())
                .hasSize(3);
        List<ImageIdentifier> paged = new ArrayList<>();
        String token = null;
        do {
            String t = token;
            ListImagesResponse page = ecr.listImages(b -> b.repositoryName("list/app").maxResults(1).nextToken(t));
            paged.addAll(page.imageIds());
            token = page.nextToken();
        } while (token != null);
        assertThat(paged).containsExactlyElementsOf(all);
        assertEcrError("RepositoryNotFoundException", () -> ecr.listImages(b -> b.repositoryName("list/none")));
    }

    @Test
    void describeImagesHasOneEntryPerDigestAndFailsOnAMissingId() throws Exception {
        byte[] a = Fixtures.pushImage(r, "describe/app", "x");
        r.send("PUT", "/v2/describe/app/manifests/y", a, "Content-Type", OCI_MANIFEST);
        Fixtures.pushImage(r, "describe/app", "z");
        var details = ecr.describeImages(b -> b.repositoryName("describe/app")).imageDetails();
        assertThat(details).hasSize(2);
        assertThat(ecr.describeImages(b -> b.repositoryName("describe/app").imageIds(tag("y"), digestId(digest(a))))
                .imageDetails()).singleElement().satisfies(d -> assertThat(d.imageTags()).containsExactly("x", "y"));
        assertEcrError("ImageNotFoundException",
                () -> ecr.describeImages(b -> b.repositoryName("describe/app").imageIds(tag("x"), tag("missing"))));
        assertEcrError("InvalidParameterException",
                () -> ecr.describeImages(b -> b.repositoryName("describe/app").imageIds(tag("x")).maxResults(5)));
        assertThat(ecr.describeImagesPaginator(b -> b.repositoryName("describe/app").maxResults(1)).imageDetails()).hasSize(2);
    }

    @Test
    void indexSizeIsItsLargestChildAndReferrersNameTheirSubject() throws Exception {
        byte[] small = Fixtures.pushImage(r, "multi/app", "small");
        byte[] big = pushImageWithLayer(4096, "big");
        String index = "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_INDEX + "\",\"manifests\":["
                + descriptor(OCI_MANIFEST, small) + "," + descriptor(OCI_MANIFEST, big) + "]}";
        r.send("PUT", "/v2/multi/app/manifests/multi", index.getBytes(), "Content-Type", OCI_INDEX);
        ImageDetail d = ecr.describeImages(b -> b.repositoryName("multi/app").imageIds(tag("multi"))).imageDetails().getFirst();
        assertThat(d.imageSizeInBytes()).isEqualTo(4096 + configSize(big));
        assertThat(d.imageManifestMediaType()).isEqualTo(OCI_INDEX);
        assertThat(d.artifactMediaType()).isNull();

        byte[] config = "{}".getBytes();
        Fixtures.pushBlob(r, "multi/app", config);
        String sig = "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"artifactType\":\"application/x-sig\","
                + "\"config\":" + descriptor("application/vnd.oci.empty.v1+json", config) + ",\"layers\":[],"
                + "\"subject\":" + descriptor(OCI_MANIFEST, small) + "}";
        r.send("PUT", "/v2/multi/app/manifests/" + digest(sig.getBytes()), sig.getBytes(), "Content-Type", OCI_MANIFEST);
        ImageDetail s = ecr.describeImages(b -> b.repositoryName("multi/app").imageIds(digestId(digest(sig.getBytes()))))
                .imageDetails().getFirst();
        assertThat(s.subjectManifestDigest()).isEqualTo(digest(small));
        assertThat(s.artifactMediaType()).isEqualTo("application/vnd.oci.empty.v1+json");
    }

    private static byte[] pushImageWithLayer(int layerSize, String tag) throws Exception {
        byte[] config = ("{\"architecture\":\"arm64\",\"tag\":\"" + tag + "\"}").getBytes();
        byte[] layer = Fixtures.randomBytes(layerSize);
        Fixtures.pushBlob(r, "multi/app", config);
        Fixtures.pushBlob(r, "multi/app", layer);
        byte[] manifest = Fixtures.manifest(config, layer);
        r.send("PUT", "/v2/multi/app/manifests/" + tag, manifest, "Content-Type", OCI_MANIFEST);
        return manifest;
    }

    @Test
    void batchGetImageReturnsExactManifestsAndReportsFailures() throws Exception {
        byte[] m = Fixtures.pushImage(r, "get/app", "v1");
        var res = ecr.batchGetImage(b -> b.repositoryName("get/app").imageIds(tag("v1"), tag("nope"),
                digestId("sha256:xyz"), ImageIdentifier.builder().build(),
                ImageIdentifier.builder().imageTag("v1").imageDigest(digest("other".getBytes())).build()));
        assertThat(res.images()).singleElement().satisfies(i -> {
            assertThat(i.imageManifest()).isEqualTo(str(m));
            assertThat(i.imageManifestMediaType()).isEqualTo(OCI_MANIFEST);
            assertThat(i.imageId().imageTag()).isEqualTo("v1");
            assertThat(i.imageId().imageDigest()).isEqualTo(digest(m));
        });
        assertThat(res.failures()).extracting(f -> f.failureCode()).containsExactlyInAnyOrder(
                ImageFailureCode.IMAGE_NOT_FOUND, ImageFailureCode.INVALID_IMAGE_DIGEST,
                ImageFailureCode.MISSING_DIGEST_AND_TAG, ImageFailureCode.IMAGE_TAG_DOES_NOT_MATCH_DIGEST);
        var narrow = ecr.batchGetImage(b -> b.repositoryName("get/app").imageIds(tag("v1"))
                .acceptedMediaTypes("application/vnd.docker.distribution.manifest.v2+json"));
        assertThat(narrow.images()).isEmpty();
        assertThat(narrow.failures()).singleElement().satisfies(f -> assertThat(f.failureCode()).isEqualTo(ImageFailureCode.IMAGE_NOT_FOUND));
        assertThat(ecr.batchGetImage(b -> b.repositoryName("get/app").imageIds(tag("v1")).acceptedMediaTypes(OCI_MANIFEST))
                .images()).hasSize(1);
    }

    @Test
    void batchDeleteByTagUntagsAndByDigestRemovesTheImage() throws Exception {
        byte[] m = Fixtures.pushImage(r, "delete/app", "t1");
        r.send("PUT", "/v2/delete/app/manifests/t2", m, "Content-Type", OCI_MANIFEST);
        var untag = ecr.batchDeleteImage(b -> b.repositoryName("delete/app").imageIds(tag("t1")));
        assertThat(untag.imageIds()).containsExactly(ImageIdentifier.builder().imageDigest(digest(m)).imageTag("t1").build());
        assertThat(untag.failures()).isEmpty();
        assertThat(r.get("/v2/delete/app/manifests/" + digest(m)).statusCode()).isEqualTo(200);
        ecr.batchDeleteImage(b -> b.repositoryName("delete/app").imageIds(tag("t2")));
        assertThat(r.get("/v2/delete/app/manifests/" + digest(m)).statusCode()).as("gone with its last tag").isEqualTo(404);

        byte[] n = Fixtures.pushImage(r, "delete/app", "n1");
        r.send("PUT", "/v2/delete/app/manifests/n2", n, "Content-Type", OCI_MANIFEST);
        var byDigest = ecr.batchDeleteImage(b -> b.repositoryName("delete/app").imageIds(digestId(digest(n)), tag("ghost")));
        assertThat(byDigest.imageIds()).extracting(ImageIdentifier::imageTag).containsExactlyInAnyOrder("n1", "n2");
        assertThat(byDigest.failures()).singleElement().satisfies(f -> assertThat(f.failureCode()).isEqualTo(ImageFailureCode.IMAGE_NOT_FOUND));
        assertThat(r.get("/v2/delete/app/manifests/n1").statusCode()).isEqualTo(404);
    }

    @Test
    void childrenOfAnIndexCannotBeDeletedByDigest() throws Exception {
        byte[] child = Fixtures.pushImage(r, "delete/multi", "child");
        String index = "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_INDEX + "\",\"manifests\":[" + descriptor(OCI_MANIFEST, child) + "]}";
        r.send("PUT", "/v2/delete/multi/manifests/list", index.getBytes(), "Content-Type", OCI_INDEX);
        var res = ecr.batchDeleteImage(b -> b.repositoryName("delete/multi").imageIds(digestId(digest(child))));
        assertThat(res.failures()).singleElement().satisfies(f ->
                assertThat(f.failureCode()).isEqualTo(ImageFailureCode.IMAGE_REFERENCED_BY_MANIFEST_LIST));
        assertThat(r.get("/v2/delete/multi/manifests/" + digest(child)).statusCode()).isEqualTo(200);
    }

    @Test
    void putImageRetagsLikeTheCliAndPullsOverV2() throws Exception {
        Fixtures.pushImage(r, "put/app", "v1");
        var got = ecr.batchGetImage(b -> b.repositoryName("put/app").imageIds(tag("v1"))).images().getFirst();
        var put = ecr.putImage(b -> b.repositoryName("put/app").imageManifest(got.imageManifest()).imageTag("release"));
        assertThat(put.image().imageId().imageDigest()).isEqualTo(got.imageId().imageDigest());
        assertThat(put.image().imageId().imageTag()).isEqualTo("release");
        assertThat(put.image().imageManifestMediaType()).isEqualTo(OCI_MANIFEST);
        HttpResponse<byte[]> pulled = r.get("/v2/put/app/manifests/release");
        assertThat(pulled.statusCode()).isEqualTo(200);
        assertThat(str(pulled.body())).isEqualTo(got.imageManifest());
        assertThat(pulled.headers().firstValue("Content-Type")).hasValue(OCI_MANIFEST);
        assertEcrError("ImageAlreadyExistsException", () -> ecr.putImage(b -> b.repositoryName("put/app")
                .imageManifest(got.imageManifest()).imageTag("release")));
        assertEcrError("ImageAlreadyExistsException", () -> ecr.putImage(b -> b.repositoryName("put/app")
                .imageManifest(got.imageManifest())));
    }

    @Test
    void putImageMovesTagsLeavingTheOldImageUntagged() throws Exception {
        byte[] first = Fixtures.pushImage(r, "put/move", "latest");
        byte[] second = Fixtures.pushImage(r, "put/move", "other");
        ecr.putImage(b -> b.repositoryName("put/move").imageManifest(str(second)).imageTag("latest"));
        assertThat(ecr.listImages(b -> b.repositoryName("put/move").filter(f -> f.tagStatus(TagStatus.UNTAGGED))).imageIds())
                .containsExactly(digestId(digest(first)));
    }

    @Test
    void putImageChecksDigestReferencesMediaTypeAndRepository() throws Exception {
        byte[] m = Fixtures.pushImage(r, "put/checks", "base");
        ecr.batchDeleteImage(b -> b.repositoryName("put/checks").imageIds(tag("base")));
        assertEcrError("ImageDigestDoesNotMatchException", () -> ecr.putImage(b -> b.repositoryName("put/checks")
                .imageManifest(str(m)).imageDigest(digest("something else".getBytes()))));
        var ok = ecr.putImage(b -> b.repositoryName("put/checks").imageManifest(str(m)).imageDigest(digest(m)));
        assertThat(ok.image().imageId().imageTag()).isNull();

        byte[] orphan = Fixtures.manifest("{\"x\":1}".getBytes(), Fixtures.randomBytes(10));
        assertEcrError("LayersNotFoundException", () -> ecr.putImage(b -> b.repositoryName("put/checks").imageManifest(str(orphan))));
        String index = "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_INDEX + "\",\"manifests\":["
                + descriptor(OCI_MANIFEST, "{\"not\":\"here\"}".getBytes()) + "]}";
        assertEcrError("ReferencedImagesNotFoundException", () -> ecr.putImage(b -> b.repositoryName("put/checks").imageManifest(index)));

        String noType = str(m).replace("\"mediaType\":\"" + OCI_MANIFEST + "\",", "");
        assertEcrError("InvalidParameterException", () -> ecr.putImage(b -> b.repositoryName("put/checks").imageManifest(noType)));
        var typed = ecr.putImage(b -> b.repositoryName("put/checks").imageManifest(noType).imageManifestMediaType(OCI_MANIFEST).imageTag("t"));
        assertThat(typed.image().imageManifestMediaType()).isEqualTo(OCI_MANIFEST);
        assertThat(r.get("/v2/put/checks/manifests/t").headers().firstValue("Content-Type")).hasValue(OCI_MANIFEST);

        assertEcrError("InvalidParameterException", () -> ecr.putImage(b -> b.repositoryName("put/checks").imageManifest("not json")));
        assertEcrError("RepositoryNotFoundException", () -> ecr.putImage(b -> b.repositoryName("put/none").imageManifest(str(m))));
    }

    @Test
    void putImageRefusesManifestsNoClientCouldRead() throws Exception {
        byte[] m = Fixtures.pushImage(r, "put/strict", "base");
        String good = str(m);
        String layerSize = "\"size\":1024";
        for (String bad : new String[] {good + "garbage", "\uFEFF" + good, good.replace("\"layers\":[", "\"layers\":null,\"x\":["),
                good.replace(layerSize, "\"size\":1023")}) {
            assertEcrError("InvalidParameterException", () -> ecr.putImage(b -> b.repositoryName("put/strict")
                    .imageManifest(bad).imageTag("bad")));
        }
        String noType = good.replace("\"mediaType\":\"" + OCI_MANIFEST + "\",", "");
        assertEcrError("InvalidParameterException", () -> ecr.putImage(b -> b.repositoryName("put/strict")
                .imageManifest(noType).imageManifestMediaType("text/plain").imageTag("bad")));
        assertThat(r.get("/v2/put/strict/manifests/bad").statusCode()).isEqualTo(404);
    }
}
