package io.wharf.server.oci;

import static io.wharf.server.oci.Fixtures.body;
import static io.wharf.server.oci.Fixtures.digest;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A manifest row altered in the database is never served under a digest its bytes do not have. */
class ManifestIntegrityApiTest extends RegistryTest {

    @Test
    void anAlteredManifestIsRefusedByTagAndDigestAndRestoredByARePush() throws Exception {
        byte[] manifest = Fixtures.pushImage(r, "alter/a", "v1");
        String digest = digest(manifest);
        byte[] altered = new String(manifest, StandardCharsets.UTF_8).replace("\"schemaVersion\":2", "\"schemaVersion\":3")
                .getBytes(StandardCharsets.UTF_8);
        Damages.alterManifest(r.dataDir, digest, altered);

        for (String ref : new String[] {"v1", digest}) {
            HttpResponse<byte[]> get = r.get("/v2/alter/a/manifests/" + ref, "Accept", Fixtures.OCI_MANIFEST);
            assertThat(get.statusCode()).isEqualTo(404);
            assertThat(body(get)).contains("MANIFEST_UNKNOWN").contains("damaged");
            assertThat(get.headers().firstValue("Docker-Content-Digest")).isEmpty();
            assertThat(r.head("/v2/alter/a/manifests/" + ref).statusCode()).isEqualTo(404);
        }

        HttpResponse<byte[]> put = r.send("PUT", "/v2/alter/a/manifests/v1", manifest, "Content-Type", Fixtures.OCI_MANIFEST);
        assertThat(put.statusCode()).isEqualTo(201);
        HttpResponse<byte[]> get = r.get("/v2/alter/a/manifests/v1", "Accept", Fixtures.OCI_MANIFEST);
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.body()).isEqualTo(manifest);
        assertThat(get.headers().firstValue("Docker-Content-Digest")).hasValue(digest);
    }

    @Test
    void anAlteredReferrerIsLeftOutOfTheReferrersIndex() throws Exception {
        byte[] subject = Fixtures.pushImage(r, "alter/b", "v1");
        byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
        Fixtures.pushBlob(r, "alter/b", config);
        byte[] referrer = ("{\"schemaVersion\":2,\"mediaType\":\"" + Fixtures.OCI_MANIFEST + "\",\"artifactType\":"
                + "\"application/x-test\",\"config\":" + Fixtures.descriptor("application/vnd.oci.empty.v1+json", config)
                + ",\"layers\":[],\"subject\":" + Fixtures.descriptor(Fixtures.OCI_MANIFEST, subject) + "}")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(r.send("PUT", "/v2/alter/b/manifests/" + digest(referrer), referrer,
                "Content-Type", Fixtures.OCI_MANIFEST).statusCode()).isEqualTo(201);
        assertThat(body(r.get("/v2/alter/b/referrers/" + digest(subject)))).contains(digest(referrer));

        Damages.alterManifest(r.dataDir, digest(referrer), "{\"schemaVersion\":2}".getBytes(StandardCharsets.UTF_8));
        r.send("PUT", "/v2/alter/b/manifests/v2", subject, "Content-Type", Fixtures.OCI_MANIFEST); // any write: cache off

        HttpResponse<byte[]> index = r.get("/v2/alter/b/referrers/" + digest(subject));
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(body(index)).doesNotContain(digest(referrer));
    }
}
