package io.wharf.server.ecr;

import static io.wharf.server.oci.Fixtures.digest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.server.oci.Fixtures;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.ecr.model.InvalidLayerPartException;
import software.amazon.awssdk.services.ecr.model.LayerAvailability;
import software.amazon.awssdk.services.ecr.model.LayerFailureCode;

/** The layer API with ECR's default part sizes, over the upload sessions the registry API uses too. */
class LayerApiTest extends EcrTest {
    private static final int MIB = 1 << 20;

    private static String initiate(String repo) {
        return ecr.initiateLayerUpload(b -> b.repositoryName(repo)).uploadId();
    }

    private static long part(String repo, String id, byte[] all, int from, int to) {
        return ecr.uploadLayerPart(b -> b.repositoryName(repo).uploadId(id).partFirstByte((long) from)
                .partLastByte((long) to - 1).layerPartBlob(SdkBytes.fromByteArray(Arrays.copyOfRange(all, from, to))))
                .lastByteReceived();
    }

    @Test
    void aLayerUploadedInPartsBecomesABlobOfTheRepository() throws Exception {
        ecr.createRepository(b -> b.repositoryName("layers/app"));
        var started = ecr.initiateLayerUpload(b -> b.repositoryName("layers/app"));
        assertThat(started.uploadId()).matches("[0-9a-f-]{36}");
        assertThat(started.partSize()).isEqualTo(10L * MIB);
        byte[] layer = Fixtures.randomBytes(5 * MIB + 100);
        assertThat(part("layers/app", started.uploadId(), layer, 0, 5 * MIB)).isEqualTo(5 * MIB - 1);
        assertThat(part("layers/app", started.uploadId(), layer, 5 * MIB, layer.length)).isEqualTo(layer.length - 1);
        var done = ecr.completeLayerUpload(b -> b.repositoryName("layers/app").uploadId(started.uploadId())
                .layerDigests(digest(layer)));
        assertThat(done.layerDigest()).isEqualTo(digest(layer));
        assertThat(done.uploadId()).isEqualTo(started.uploadId());
        assertThat(r.head("/v2/layers/app/blobs/" + digest(layer)).headers().firstValueAsLong("Content-Length"))
                .hasValue(layer.length);
        var check = ecr.batchCheckLayerAvailability(b -> b.repositoryName("layers/app")
                .layerDigests(digest(layer), digest("absent".getBytes()), "sha256:zz", ""));
        assertThat(check.layers()).hasSize(2);
        assertThat(check.layers().getFirst().layerAvailability()).isEqualTo(LayerAvailability.AVAILABLE);
        assertThat(check.layers().getFirst().layerSize()).isEqualTo(layer.length);
        assertThat(check.layers().get(1).layerAvailability()).isEqualTo(LayerAvailability.UNAVAILABLE);
        assertThat(check.failures()).extracting(f -> f.failureCode())
                .containsExactly(LayerFailureCode.INVALID_LAYER_DIGEST, LayerFailureCode.MISSING_LAYER_DIGEST);
        assertEcrError("LayerAlreadyExistsException", () -> {
            String again = initiate("layers/app");
            part("layers/app", again, layer, 0, 100);
            ecr.completeLayerUpload(b -> b.repositoryName("layers/app").uploadId(again).layerDigests(digest(layer)));
        });
    }

    @Test
    void partsMustBeContiguous() {
        ecr.createRepository(b -> b.repositoryName("layers/gaps"));
        String id = initiate("layers/gaps");
        byte[] layer = Fixtures.randomBytes(5 * MIB + 10);
        part("layers/gaps", id, layer, 0, 5 * MIB);
        assertThatThrownBy(() -> part("layers/gaps", id, layer, 5 * MIB + 1, layer.length))
                .isInstanceOfSatisfying(InvalidLayerPartException.class, e -> {
                    assertThat(e.lastValidByteReceived()).isEqualTo(5L * MIB - 1);
                    assertThat(e.uploadId()).isEqualTo(id);
                    assertThat(e.repositoryName()).isEqualTo("layers/gaps");
                    assertThat(e.registryId()).isEqualTo(ACCOUNT);
                });
        assertThatThrownBy(() -> part("layers/gaps", initiate("layers/gaps"), layer, 10, 20))
                .isInstanceOfSatisfying(InvalidLayerPartException.class, e -> assertThat(e.lastValidByteReceived()).isEqualTo(-1));
        part("layers/gaps", id, layer, 5 * MIB, layer.length);
        ecr.completeLayerUpload(b -> b.repositoryName("layers/gaps").uploadId(id).layerDigests(digest(layer)));
    }

    @Test
    void completionChecksPartsAndDigest() {
        ecr.createRepository(b -> b.repositoryName("layers/complete"));
        String empty = initiate("layers/complete");
        assertEcrError("EmptyUploadException", () -> ecr.completeLayerUpload(b -> b.repositoryName("layers/complete")
                .uploadId(empty).layerDigests(digest(new byte[0]))));
        byte[] layer = Fixtures.randomBytes(300);
        String small = initiate("layers/complete");
        part("layers/complete", small, layer, 0, 100);
        part("layers/complete", small, layer, 100, 300);
        assertEcrError("LayerPartTooSmallException", () -> ecr.completeLayerUpload(b -> b.repositoryName("layers/complete")
                .uploadId(small).layerDigests(digest(layer))));
        String wrong = initiate("layers/complete");
        part("layers/complete", wrong, layer, 0, 300);
        assertEcrError("InvalidLayerException", () -> ecr.completeLayerUpload(b -> b.repositoryName("layers/complete")
                .uploadId(wrong).layerDigests(digest("other".getBytes()))));
        assertEcrError("UploadNotFoundException", () -> ecr.completeLayerUpload(b -> b.repositoryName("layers/complete")
                .uploadId("00000000-0000-0000-0000-000000000000").layerDigests(digest(layer))));
        assertEcrError("InvalidParameterException", () -> ecr.completeLayerUpload(b -> b.repositoryName("layers/complete")
                .uploadId("not-an-id").layerDigests(digest(layer))));
        assertEcrError("RepositoryNotFoundException", () -> ecr.initiateLayerUpload(b -> b.repositoryName("layers/none")));
    }

    @Test
    void downloadUrlsPointAtThisRegistryForReferencedLayersOnly() throws Exception {
        byte[] manifest = Fixtures.pushImage(r, "layers/dl", "v1");
        String layer = new com.fasterxml.jackson.databind.ObjectMapper().readTree(manifest).get("layers").get(0)
                .get("digest").asText();
        var url = ecr.getDownloadUrlForLayer(b -> b.repositoryName("layers/dl").layerDigest(layer));
        assertThat(url.downloadUrl()).isEqualTo("http://127.0.0.1:" + r.port + "/v2/layers/dl/blobs/" + layer);
        assertThat(url.layerDigest()).isEqualTo(layer);
        assertThat(r.get(url.downloadUrl().substring(url.downloadUrl().indexOf("/v2/"))).statusCode()).isEqualTo(200);
        byte[] loose = Fixtures.randomBytes(50);
        Fixtures.pushBlob(r, "layers/dl", loose);
        assertEcrError("LayerInaccessibleException", () -> ecr.getDownloadUrlForLayer(b -> b.repositoryName("layers/dl")
                .layerDigest(digest(loose))));
        assertEcrError("LayersNotFoundException", () -> ecr.getDownloadUrlForLayer(b -> b.repositoryName("layers/dl")
                .layerDigest(digest("nowhere".getBytes()))));
    }

    @Test
    void anImagePushedOnlyThroughTheEcrApiPullsOverV2() throws Exception {
        ecr.createRepository(b -> b.repositoryName("layers/api-only"));
        byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\"}".getBytes();
        byte[] layer = Fixtures.randomBytes(2000);
        for (byte[] blob : new byte[][] {config, layer}) {
            String id = initiate("layers/api-only");
            part("layers/api-only", id, blob, 0, blob.length);
            ecr.completeLayerUpload(b -> b.repositoryName("layers/api-only").uploadId(id).layerDigests(digest(blob)));
        }
        byte[] manifest = Fixtures.manifest(config, layer);
        ecr.putImage(b -> b.repositoryName("layers/api-only").imageManifest(new String(manifest)).imageTag("v1"));
        assertThat(r.get("/v2/layers/api-only/manifests/v1").body()).isEqualTo(manifest);
        assertThat(r.get("/v2/layers/api-only/blobs/" + digest(layer)).body()).isEqualTo(layer);
    }
}
