package io.wharf.server.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.server.oci.Fixtures;
import java.nio.charset.StandardCharsets;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.ImageIdentifier;
import software.amazon.awssdk.services.ecr.model.ServerException;

/**
 * The ECR API on a full disk, through the AWS SDK: writes fail with ECR's one fault shape,
 * {@code ServerException} (HTTP 500), saying the storage is full, and keep nothing; once space is freed
 * the same calls succeed.
 */
class DiskFullEcrTest extends OnASmallDisk {
    private static final String REPO = "ecr-app";
    private EcrClient ecr;

    @BeforeEach
    void client() {
        ecr = EcrClient.builder()
                .endpointOverride(wharf.uri)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    @AfterEach
    void closeClient() {
        ecr.close();
    }

    @Test
    void layerUploadsAndPutImageOnAFullDiskAnswerServerExceptionAndKeepNothing() throws Exception {
        ecr.createRepository(r -> r.repositoryName(REPO));
        String manifest = new String(wharf.pushBlobsOfImage(REPO, 1024), StandardCharsets.UTF_8);
        byte[] layer = Fixtures.randomBytes(64 << 10);
        String uploadId = ecr.initiateLayerUpload(r -> r.repositoryName(REPO)).uploadId();
        ecr.uploadLayerPart(r -> r.repositoryName(REPO).uploadId(uploadId).partFirstByte(0L)
                .partLastByte((long) layer.length - 1).layerPartBlob(SdkBytes.fromByteArray(layer)));
        String second = ecr.initiateLayerUpload(r -> r.repositoryName(REPO)).uploadId();
        disk.fill();

        byte[] part = Fixtures.randomBytes(MiB);
        assertStorageFull(() -> ecr.uploadLayerPart(r -> r.repositoryName(REPO).uploadId(second).partFirstByte(0L)
                .partLastByte((long) part.length - 1).layerPartBlob(SdkBytes.fromByteArray(part))));
        assertThat(disk.root.resolve("data/uploads/" + second)).isEmptyFile();

        assertStorageFull(() -> ecr.completeLayerUpload(r -> r.repositoryName(REPO).uploadId(uploadId)
                .layerDigests(Fixtures.digest(layer))));
        assertStorageFull(() -> ecr.putImage(r -> r.repositoryName(REPO).imageManifest(manifest).imageTag("v1")));
        assertStorageFull(() -> ecr.initiateLayerUpload(r -> r.repositoryName(REPO)));
        assertThat(ecr.describeImages(r -> r.repositoryName(REPO)).imageDetails()).isEmpty(); // reads go on

        disk.free();
        assertThat(ecr.batchCheckLayerAvailability(r -> r.repositoryName(REPO).layerDigests(Fixtures.digest(layer)))
                .layers().getFirst().layerAvailabilityAsString()).isEqualTo("UNAVAILABLE");
        ecr.putImage(r -> r.repositoryName(REPO).imageManifest(manifest).imageTag("v1"));
        assertThat(ecr.batchGetImage(r -> r.repositoryName(REPO)
                .imageIds(ImageIdentifier.builder().imageTag("v1").build())).images()).hasSize(1);
    }

    private static void assertStorageFull(ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ServerException.class, e -> {
            assertThat(e.statusCode()).isEqualTo(500);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ServerException");
            assertThat(e.awsErrorDetails().errorMessage()).startsWith("storage full");
        });
    }
}
