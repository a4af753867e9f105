package io.wharf.server.ecr;

import static io.wharf.server.oci.Fixtures.OCI_MANIFEST;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.wharf.server.oci.Fixtures;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecr.model.EcrException;
import software.amazon.awssdk.services.ecr.model.ImageTagMutability;
import software.amazon.awssdk.services.ecr.model.ImageTagMutabilityExclusionFilter;

/** Tag mutability on both APIs: one check in the shared push path. */
class TagImmutabilityTest extends EcrTest {

    private static ImageTagMutabilityExclusionFilter filter(String f) {
        return ImageTagMutabilityExclusionFilter.builder().filterType("WILDCARD").filter(f).build();
    }

    private static HttpResponse<byte[]> putManifest(String repo, String tag, byte[] manifest) throws Exception {
        return r.send("PUT", "/v2/" + repo + "/manifests/" + tag, manifest, "Content-Type", OCI_MANIFEST);
    }

    @Test
    void immutableTagsCannotMoveOverV2ButIdenticalRepushesSucceed() throws Exception {
        ecr.createRepository(b -> b.repositoryName("imm/v2").imageTagMutability(ImageTagMutability.IMMUTABLE));
        byte[] first = Fixtures.pushImage(r, "imm/v2", "v1");
        assertThat(putManifest("imm/v2", "v1", first).statusCode()).as("identical re-push is no change").isEqualTo(201);
        byte[] second = Fixtures.pushImage(r, "imm/v2", "v2");
        HttpResponse<byte[]> moved = putManifest("imm/v2", "v1", second);
        assertThat(moved.statusCode()).isEqualTo(400);
        assertThat(Fixtures.body(moved)).contains("\"code\":\"TAG_INVALID\"").contains("The image tag 'v1' already exists in "
                + "the 'imm/v2' repository and cannot be overwritten because the tag is immutable.");
        assertThat(Fixtures.body(r.get("/v2/imm/v2/manifests/v1"))).isEqualTo(new String(first));
        assertThat(r.send("DELETE", "/v2/imm/v2/manifests/v1", null).statusCode()).as("deleting stays allowed").isEqualTo(202);
        assertThat(putManifest("imm/v2", "v1", second).statusCode()).isEqualTo(201);
    }

    /**
     * One client over the registry API, one over ECR PutImage, both moving one immutable tag to different
     * manifests at the same instant: exactly one wins, the other gets its protocol's refusal.
     */
    @Test
    void twoClientsRacingForOneImmutableTagHaveExactlyOneWinner() throws Exception {
        ecr.createRepository(b -> b.repositoryName("imm/race").imageTagMutability(ImageTagMutability.IMMUTABLE));
        ExecutorService clients = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 10; round++) {
                byte[] viaOci = Fixtures.pushImage(r, "imm/race", "a" + round);
                byte[] viaEcr = Fixtures.pushImage(r, "imm/race", "b" + round);
                String tag = "race" + round;
                CyclicBarrier start = new CyclicBarrier(2);
                Future<Integer> oci = clients.submit(() -> {
                    start.await();
                    HttpResponse<byte[]> put = putManifest("imm/race", tag, viaOci);
                    assertThat(put.statusCode() == 201 || Fixtures.body(put).contains("\"code\":\"TAG_INVALID\"")).isTrue();
                    return put.statusCode() == 201 ? 1 : 0;
                });
                Future<Integer> api = clients.submit(() -> {
                    start.await();
                    try {
                        ecr.putImage(b -> b.repositoryName("imm/race").imageManifest(new String(viaEcr)).imageTag(tag));
                        return 1;
                    } catch (EcrException e) {
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ImageTagAlreadyExistsException");
                        return 0;
                    }
                });
                assertThat(oci.get() + api.get()).as("winners in round " + round).isEqualTo(1);
            }
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    void immutableTagsCannotMoveThroughPutImage() throws Exception {
        ecr.createRepository(b -> b.repositoryName("imm/api").imageTagMutability(ImageTagMutability.IMMUTABLE));
        Fixtures.pushImage(r, "imm/api", "v1");
        byte[] other = Fixtures.pushImage(r, "imm/api", "v2");
        assertEcrError("ImageTagAlreadyExistsException", () -> ecr.putImage(b -> b.repositoryName("imm/api")
                .imageManifest(new String(other)).imageTag("v1")));
        ecr.putImage(b -> b.repositoryName("imm/api").imageManifest(new String(other)).imageTag("v3"));
    }

    @Test
    void immutableWithExclusionKeepsMatchingTagsMutable() throws Exception {
        ecr.createRepository(b -> b.repositoryName("imm/excl").imageTagMutability(ImageTagMutability.IMMUTABLE_WITH_EXCLUSION)
                .imageTagMutabilityExclusionFilters(filter("latest"), filter("dev-*")));
        Fixtures.pushImage(r, "imm/excl", "latest");
        Fixtures.pushImage(r, "imm/excl", "dev-1");
        Fixtures.pushImage(r, "imm/excl", "v1");
        byte[] next = Fixtures.pushImage(r, "imm/excl", "next");
        assertThat(putManifest("imm/excl", "latest", next).statusCode()).isEqualTo(201);
        assertThat(putManifest("imm/excl", "dev-1", next).statusCode()).isEqualTo(201);
        assertThat(putManifest("imm/excl", "v1", next).statusCode()).isEqualTo(400);
    }

    @Test
    void mutableWithExclusionMakesMatchingTagsImmutable() throws Exception {
        ecr.createRepository(b -> b.repositoryName("imm/mexcl").imageTagMutability(ImageTagMutability.MUTABLE_WITH_EXCLUSION)
                .imageTagMutabilityExclusionFilters(filter("v*"), filter("release-*-final")));
        Fixtures.pushImage(r, "imm/mexcl", "v1.0");
        Fixtures.pushImage(r, "imm/mexcl", "release-2-final");
        Fixtures.pushImage(r, "imm/mexcl", "latest");
        byte[] next = Fixtures.pushImage(r, "imm/mexcl", "next");
        assertThat(putManifest("imm/mexcl", "latest", next).statusCode()).isEqualTo(201);
        assertThat(putManifest("imm/mexcl", "v1.0", next).statusCode()).isEqualTo(400);
        assertThat(putManifest("imm/mexcl", "release-2-final", next).statusCode()).isEqualTo(400);
        assertEcrError("ImageTagAlreadyExistsException", () -> ecr.putImage(b -> b.repositoryName("imm/mexcl")
                .imageManifest(new String(next)).imageTag("v1.0")));
    }

    @Test
    void filtersWithMoreThanTwoWildcardsAreRefusedAndTwoMatchLongTagsQuickly() throws Exception {
        assertEcrError("InvalidParameterException", () -> ecr.createRepository(b -> b.repositoryName("imm/stars")
                .imageTagMutability(ImageTagMutability.MUTABLE_WITH_EXCLUSION).imageTagMutabilityExclusionFilters(filter("*a*a*b"))));
        ecr.createRepository(b -> b.repositoryName("imm/stars").imageTagMutability(ImageTagMutability.MUTABLE_WITH_EXCLUSION)
                .imageTagMutabilityExclusionFilters(filter("*a*b")));
        assertEcrError("InvalidParameterException", () -> ecr.putImageTagMutability(b -> b.repositoryName("imm/stars")
                .imageTagMutability(ImageTagMutability.MUTABLE_WITH_EXCLUSION).imageTagMutabilityExclusionFilters(filter("*a*a*a*a*b"))));
        String tag = "a".repeat(128);
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> Fixtures.pushImage(r, "imm/stars", tag));
    }

    @Test
    void changingTheModeAppliesToLaterPushes() throws Exception {
        Fixtures.pushImage(r, "imm/later", "v1");
        ecr.putImageTagMutability(b -> b.repositoryName("imm/later").imageTagMutability(ImageTagMutability.IMMUTABLE));
        byte[] next = Fixtures.pushImage(r, "imm/later", "v2");
        assertThat(putManifest("imm/later", "v1", next).statusCode()).isEqualTo(400);
        ecr.putImageTagMutability(b -> b.repositoryName("imm/later").imageTagMutability(ImageTagMutability.MUTABLE));
        assertThat(putManifest("imm/later", "v1", next).statusCode()).isEqualTo(201);
    }
}
