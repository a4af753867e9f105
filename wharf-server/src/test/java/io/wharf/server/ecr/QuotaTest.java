package io.wharf.server.ecr;

import static io.wharf.server.ecr.EcrTest.assertEcrError;
import static io.wharf.server.oci.Fixtures.OCI_MANIFEST;
import static io.wharf.server.oci.Fixtures.digest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.core.service.Quotas;
import io.wharf.core.service.RegistryLimits;
import io.wharf.server.oci.Fixtures;
import io.wharf.server.oci.TestRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.InvalidLayerPartException;

/**
 * Quotas on both APIs, with small values so each is reached quickly: 2 repositories, 2 images per
 * repository, 2 tags per image, layers up to 4096 bytes, parts of 100–1000 bytes, 5 parts per upload.
 */
class QuotaTest {
    private TestRegistry r;
    private EcrClient ecr;

    @BeforeEach
    void start() throws Exception {
        r = new TestRegistry(RegistryLimits.defaults(), new Quotas(2, 2, 2, 50, 4096, 100, 1000, 5, 10_240, 30_720), true);
        ecr = EcrTest.client(r);
    }

    @AfterEach
    void stop() throws Exception {
        ecr.close();
        r.close();
    }

    @Test
    void repositoriesPerRegistryOnBothApis() throws Exception {
        ecr.createRepository(b -> b.repositoryName("q/one"));
        Fixtures.pushImage(r, "q/two", "v1");
        assertEcrError("LimitExceededException", () -> ecr.createRepository(b -> b.repositoryName("q/three")));
        var push = r.send("POST", "/v2/q/three/blobs/uploads/", null);
        assertThat(push.statusCode()).isEqualTo(403);
        assertThat(Fixtures.body(push)).contains("\"DENIED\"");
    }

    @Test
    void tagsPerImageOnBothApis() throws Exception {
        byte[] image = Fixtures.pushImage(r, "q/tags", "a");
        assertThat(r.send("PUT", "/v2/q/tags/manifests/b", image, "Content-Type", OCI_MANIFEST).statusCode()).isEqualTo(201);
        assertThat(r.send("PUT", "/v2/q/tags/manifests/b", image, "Content-Type", OCI_MANIFEST).statusCode())
                .as("an existing tag is no new tag").isEqualTo(201);
        var third = r.send("PUT", "/v2/q/tags/manifests/c", image, "Content-Type", OCI_MANIFEST);
        assertThat(third.statusCode()).isEqualTo(403);
        assertThat(Fixtures.body(third)).contains("\"DENIED\"");
        assertEcrError("LimitExceededException", () -> ecr.putImage(b -> b.repositoryName("q/tags")
                .imageManifest(new String(image)).imageTag("c")));
    }

    @Test
    void imagesPerRepositoryOnBothApis() throws Exception {
        Fixtures.pushImage(r, "q/images", "a");
        Fixtures.pushImage(r, "q/images", "b");
        byte[] config = "{\"quota\":true}".getBytes();
        Fixtures.pushBlob(r, "q/images", config);
        byte[] manifest = Fixtures.manifest(config);
        var res = r.send("PUT", "/v2/q/images/manifests/c", manifest, "Content-Type", OCI_MANIFEST);
        assertThat(res.statusCode()).isEqualTo(403);
        assertEcrError("LimitExceededException", () -> ecr.putImage(b -> b.repositoryName("q/images")
                .imageManifest(new String(manifest)).imageTag("c")));
    }

    @Test
    void layerSizeOnBothApis() throws Exception {
        ecr.createRepository(b -> b.repositoryName("q/layers"));
        byte[] big = Fixtures.randomBytes(5000);
        var tooBig = r.send("POST", "/v2/q/layers/blobs/uploads/?digest=" + digest(big), big);
        assertThat(tooBig.statusCode()).isEqualTo(413);
        assertThat(Fixtures.body(tooBig)).contains("SIZE_INVALID");
        String id = initiate();
        for (int i = 0; i < 4; i++) {
            upload(id, i * 1000L, new byte[1000]);
        }
        assertEcrError("LimitExceededException", () -> upload(id, 4000, new byte[1000]));
    }

    @Test
    void partSizeAndCount() {
        ecr.createRepository(b -> b.repositoryName("q/layers"));
        String id = initiate();
        assertThat(ecr.initiateLayerUpload(b -> b.repositoryName("q/layers")).partSize()).isEqualTo(1000L);
        assertThatThrownBy(() -> upload(id, 0, new byte[1001])).isInstanceOf(InvalidLayerPartException.class);
        for (int i = 0; i < 5; i++) {
            upload(id, i * 200L, new byte[200]);
        }
        assertEcrError("LimitExceededException", () -> upload(id, 1000, new byte[200]));
        String small = initiate();
        upload(small, 0, new byte[99]);
        upload(small, 99, new byte[5]);
        byte[] whole = new byte[104];
        assertEcrError("LayerPartTooSmallException", () -> ecr.completeLayerUpload(b -> b.repositoryName("q/layers")
                .uploadId(small).layerDigests(digest(whole))));
    }

    private String initiate() {
        return ecr.initiateLayerUpload(b -> b.repositoryName("q/layers")).uploadId();
    }

    private void upload(String id, long first, byte[] part) {
        ecr.uploadLayerPart(b -> b.repositoryName("q/layers").uploadId(id).partFirstByte(first)
                .partLastByte(first + part.length - 1).layerPartBlob(SdkBytes.fromByteArray(part)));
    }
}
