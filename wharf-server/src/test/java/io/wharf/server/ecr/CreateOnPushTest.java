package io.wharf.server.ecr;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.service.Quotas;
import io.wharf.core.service.RegistryLimits;
import io.wharf.server.oci.Fixtures;
import io.wharf.server.oci.TestRegistry;
import org.junit.jupiter.api.Test;

/** {@code repositories.create-on-push: false}: the registry API, like ECR, refuses pushes to missing repositories. */
class CreateOnPushTest {

    @Test
    void pushesToMissingRepositoriesAreNameUnknownUntilCreated() throws Exception {
        try (TestRegistry r = new TestRegistry(RegistryLimits.defaults(), Quotas.defaults(), false);
             var ecr = EcrTest.client(r)) {
            var start = r.send("POST", "/v2/strict/app/blobs/uploads/", null);
            assertThat(start.statusCode()).isEqualTo(404);
            assertThat(Fixtures.body(start)).contains("NAME_UNKNOWN");
            byte[] blob = Fixtures.randomBytes(10);
            var monolithic = r.send("POST", "/v2/strict/app/blobs/uploads/?digest=" + Fixtures.digest(blob), blob);
            assertThat(monolithic.statusCode()).isEqualTo(404);
            assertThat(r.get("/v2/_catalog").body()).asString().doesNotContain("strict/app");

            ecr.createRepository(b -> b.repositoryName("strict/app"));
            Fixtures.pushImage(r, "strict/app", "v1");
            assertThat(r.get("/v2/strict/app/manifests/v1").statusCode()).isEqualTo(200);
        }
    }
}
