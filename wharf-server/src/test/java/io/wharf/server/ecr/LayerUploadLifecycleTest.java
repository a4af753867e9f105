package io.wharf.server.ecr;

import static io.wharf.server.ecr.EcrTest.assertEcrError;
import static io.wharf.server.oci.Fixtures.digest;
import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.service.RegistryLimits;
import io.wharf.core.service.UploadLimits;
import io.wharf.core.testing.ManualClock;
import io.wharf.server.oci.Fixtures;
import io.wharf.server.oci.TestRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.ecr.EcrClient;

/** ECR layer uploads share the registry API's sessions: the same cap, lifetime and expiry hold for them. */
class LayerUploadLifecycleTest {
    private final ManualClock clock = new ManualClock(Instant.now());
    private TestRegistry r;
    private EcrClient ecr;

    @BeforeEach
    void start() throws Exception {
        r = new TestRegistry(RegistryLimits.defaults().withUploads(new UploadLimits(Duration.ofHours(6), 2, 10_000)), clock);
        ecr = EcrTest.client(r);
        ecr.createRepository(b -> b.repositoryName("layers/app"));
    }

    @AfterEach
    void stop() throws Exception {
        ecr.close();
        r.close();
    }

    private String initiate() {
        return ecr.initiateLayerUpload(b -> b.repositoryName("layers/app")).uploadId();
    }

    private void part(String id, long first, byte[] bytes) {
        ecr.uploadLayerPart(b -> b.repositoryName("layers/app").uploadId(id).partFirstByte(first)
                .partLastByte(first + bytes.length - 1).layerPartBlob(SdkBytes.fromByteArray(bytes)));
    }

    @Test
    void overTheCapIsLimitExceededUntilAnUploadCompletesOrExpires() throws Exception {
        String first = initiate();
        initiate();
        assertEcrError("LimitExceededException", this::initiate);
        // the registry API counts against the same cap
        assertThat(r.send("POST", "/v2/layers/app/blobs/uploads/", null).statusCode()).isEqualTo(429);

        byte[] layer = Fixtures.randomBytes(1000);
        part(first, 0, layer);
        ecr.completeLayerUpload(b -> b.repositoryName("layers/app").uploadId(first).layerDigests(digest(layer)));
        initiate();
        assertEcrError("LimitExceededException", this::initiate);

        clock.advance(Duration.ofHours(1).plusSeconds(1));
        initiate();
    }

    @Test
    void aLayerUploadFedPartsPastItsLifetimeIsGoneWithItsBytes() throws Exception {
        String id = initiate();
        for (int i = 0; i < 7; i++) { // 5 MiB minimum part size: these are all "last" parts until completion
            part(id, i, new byte[] {(byte) i});
            clock.advance(Duration.ofMinutes(50));
        }
        clock.advance(Duration.ofMinutes(10));
        assertEcrError("UploadNotFoundException", () -> part(id, 7, new byte[] {7}));
        assertThat(uploadFiles()).isZero();
    }

    @Test
    void completingIntoADeletedRepositoryIsRepositoryNotFound() throws Exception {
        String id = initiate();
        byte[] layer = Fixtures.randomBytes(1000);
        part(id, 0, layer);
        ecr.deleteRepository(b -> b.repositoryName("layers/app").force(true));
        assertEcrError("RepositoryNotFoundException",
                () -> ecr.completeLayerUpload(b -> b.repositoryName("layers/app").uploadId(id).layerDigests(digest(layer))));
    }

    private long uploadFiles() throws Exception {
        try (Stream<Path> files = Files.list(r.dataDir.resolve("uploads"))) {
            return files.count();
        }
    }
}
