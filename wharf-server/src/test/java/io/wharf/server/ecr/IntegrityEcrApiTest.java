package io.wharf.server.ecr;

import static io.wharf.server.oci.Fixtures.digest;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.server.oci.Damages;
import io.wharf.server.oci.Fixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.ecr.model.ImageFailureCode;
import software.amazon.awssdk.services.ecr.model.ImageIdentifier;
import software.amazon.awssdk.services.ecr.model.LayerAvailability;

/** The ECR API's view of damaged content: what a client checks before pushing, and what it downloads. */
class IntegrityEcrApiTest extends EcrTest {

    @Test
    void aMissingLayerIsUnavailableAndNotDownloadable() throws Exception {
        byte[] manifest = Fixtures.pushImage(r, "damage/layers", "v1");
        String layer = new ObjectMapper().readTree(manifest).get("layers").get(0).get("digest").asText();
        Files.delete(r.blobFile(layer));

        var check = ecr.batchCheckLayerAvailability(b -> b.repositoryName("damage/layers").layerDigests(layer));
        assertThat(check.layers().getFirst().layerAvailability()).isEqualTo(LayerAvailability.UNAVAILABLE);
        assertEcrError("LayersNotFoundException", () -> ecr.getDownloadUrlForLayer(b -> b.repositoryName("damage/layers")
                .layerDigest(layer)));
        assertThat(r.head("/v2/damage/layers/blobs/" + layer).statusCode()).as("both APIs agree").isEqualTo(404);
    }

    @Test
    void anUploadOfADamagedLayerStoresItInsteadOfReportingItExists() throws Exception {
        ecr.createRepository(b -> b.repositoryName("damage/upload"));
        byte[] layer = Fixtures.randomBytes(3000);
        upload("damage/upload", layer);
        Damages.truncate(r.blobFile(digest(layer)), 100);

        upload("damage/upload", layer); // used to be LayerAlreadyExistsException, leaving the damage in place
        var check = ecr.batchCheckLayerAvailability(b -> b.repositoryName("damage/upload").layerDigests(digest(layer)));
        assertThat(check.layers().getFirst().layerAvailability()).isEqualTo(LayerAvailability.AVAILABLE);
        assertThat(r.get("/v2/damage/upload/blobs/" + digest(layer)).body()).isEqualTo(layer);
    }

    @Test
    void anAlteredManifestFailsInBatchGetImageAndPutImageRestoresIt() throws Exception {
        byte[] manifest = Fixtures.pushImage(r, "damage/images", "v1");
        Damages.alterManifest(r.dataDir, digest(manifest), "{\"schemaVersion\":2}".getBytes(StandardCharsets.UTF_8));

        var got = ecr.batchGetImage(b -> b.repositoryName("damage/images").imageIds(ImageIdentifier.builder().imageTag("v1").build()));
        assertThat(got.images()).isEmpty();
        assertThat(got.failures()).singleElement().satisfies(f -> {
            assertThat(f.failureCode()).isEqualTo(ImageFailureCode.IMAGE_NOT_FOUND);
            assertThat(f.failureReason()).contains("damaged");
        });

        ecr.putImage(b -> b.repositoryName("damage/images").imageManifest(new String(manifest, StandardCharsets.UTF_8))
                .imageTag("v1")); // an intact image would be ImageAlreadyExistsException
        var again = ecr.batchGetImage(b -> b.repositoryName("damage/images").imageIds(ImageIdentifier.builder().imageTag("v1").build()));
        assertThat(again.images()).singleElement().satisfies(i ->
                assertThat(i.imageManifest()).isEqualTo(new String(manifest, StandardCharsets.UTF_8)));
    }

    private static void upload(String repo, byte[] layer) {
        String id = ecr.initiateLayerUpload(b -> b.repositoryName(repo)).uploadId();
        ecr.uploadLayerPart(b -> b.repositoryName(repo).uploadId(id).partFirstByte(0L).partLastByte((long) layer.length - 1)
                .layerPartBlob(SdkBytes.fromByteArray(layer)));
        ecr.completeLayerUpload(b -> b.repositoryName(repo).uploadId(id).layerDigests(digest(layer)));
    }
}
