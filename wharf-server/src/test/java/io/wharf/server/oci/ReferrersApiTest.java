package io.wharf.server.oci;

import static io.wharf.server.oci.Fixtures.OCI_INDEX;
import static io.wharf.server.oci.Fixtures.OCI_MANIFEST;
import static io.wharf.server.oci.Fixtures.descriptor;
import static io.wharf.server.oci.Fixtures.digest;
import static io.wharf.server.oci.Fixtures.pushBlob;
import static io.wharf.server.oci.Fixtures.pushImage;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class ReferrersApiTest extends RegistryTest {
    static final String EMPTY = "application/vnd.oci.empty.v1+json";



    @Test
    void referrersListSignaturesAndSbomsWithFiltering() throws Exception {
        byte[] subject = pushImage(r, "ref", "v1");
        byte[] empty = "{}".getBytes();
        pushBlob(r, "ref", empty);
        byte[] sig = artifact("application/vnd.example.signature", digest(subject), subject.length, "sig");
        byte[] sbom = artifact("application/spdx+json", digest(subject), subject.length, "sbom");
        for (byte[] a : new byte[][] {sig, sbom}) {
            HttpResponse<byte[]> put = r.send("PUT", "/v2/ref/manifests/" + digest(a), a, "Content-Type", OCI_MANIFEST);
            assertThat(put.statusCode()).isEqualTo(201);
            assertThat(put.headers().firstValue("OCI-Subject")).hasValue(digest(subject));
        }

        HttpResponse<byte[]> all = r.get("/v2/ref/referrers/" + digest(subject));
        assertThat(all.statusCode()).isEqualTo(200);
        assertThat(all.headers().firstValue("Content-Type")).hasValue(OCI_INDEX);
        assertThat(all.headers().firstValue("OCI-Filters-Applied")).isEmpty();
        JsonNode index = new ObjectMapper().readTree(all.body());
        assertThat(index.get("schemaVersion").asInt()).isEqualTo(2);
        assertThat(index.get("mediaType").asText()).isEqualTo(OCI_INDEX);
        assertThat(index.get("manifests")).hasSize(2);
        JsonNode first = index.get("manifests").get(0);
        assertThat(first.get("mediaType").asText()).isEqualTo(OCI_MANIFEST);
        assertThat(first.get("annotations").size()).isEqualTo(1);

        HttpResponse<byte[]> filtered = r.get("/v2/ref/referrers/" + digest(subject) + "?artifactType=application/spdx%2Bjson");
        assertThat(filtered.headers().firstValue("OCI-Filters-Applied")).hasValue("artifactType");
        JsonNode only = new ObjectMapper().readTree(filtered.body()).get("manifests");
        assertThat(only).hasSize(1);
        assertThat(only.get(0).get("digest").asText()).isEqualTo(digest(sbom));
        assertThat(only.get(0).get("artifactType").asText()).isEqualTo("application/spdx+json");
        assertThat(only.get(0).get("size").asLong()).isEqualTo(sbom.length);
    }

    @Test
    void undecodableArtifactTypeIsABadRequest() throws Exception {
        String res = r.raw("GET /v2/ref/referrers/" + digest(new byte[] {7}) + "?artifactType=%FF HTTP/1.1\r\n"
                + "Host: localhost\r\nConnection: close\r\n\r\n");
        assertThat(res).startsWith("HTTP/1.1 400 ").contains("\"code\":\"UNSUPPORTED\"").contains("artifactType");
    }

    @Test
    void artifactTypeFallsBackToConfigMediaType() throws Exception {
        byte[] subject = pushImage(r, "helm", "v1");
        byte[] chartConfig = "{\"name\":\"chart\"}".getBytes();
        pushBlob(r, "helm", chartConfig);
        byte[] m = ("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":"
                + descriptor("application/vnd.cncf.helm.config.v1+json", chartConfig) + ",\"layers\":[],\"subject\":"
                + descriptor(OCI_MANIFEST, subject) + "}").getBytes();
        assertThat(r.send("PUT", "/v2/helm/manifests/chart", m, "Content-Type", OCI_MANIFEST).statusCode()).isEqualTo(201);
        JsonNode list = new ObjectMapper().readTree(r.get("/v2/helm/referrers/" + digest(subject)).body()).get("manifests");
        assertThat(list.get(0).get("artifactType").asText()).isEqualTo("application/vnd.cncf.helm.config.v1+json");
    }

    @Test
    void subjectNeedNotExistAndUnknownSubjectsGiveEmptyIndex() throws Exception {
        byte[] empty = "{}".getBytes();
        pushBlob(r, "orphan", empty);
        String ghost = digest("nothing here".getBytes());
        byte[] a = artifact("application/vnd.example.x", ghost, 12, "x");
        HttpResponse<byte[]> put = r.send("PUT", "/v2/orphan/manifests/" + digest(a), a, "Content-Type", OCI_MANIFEST);
        assertThat(put.statusCode()).isEqualTo(201);
        assertThat(put.headers().firstValue("OCI-Subject")).hasValue(ghost);
        assertThat(new ObjectMapper().readTree(r.get("/v2/orphan/referrers/" + ghost).body()).get("manifests")).hasSize(1);

        HttpResponse<byte[]> none = r.get("/v2/orphan/referrers/" + digest("other".getBytes()));
        assertThat(none.statusCode()).isEqualTo(200);
        assertThat(new ObjectMapper().readTree(none.body()).get("manifests")).isEmpty();
        assertThat(r.get("/v2/orphan/referrers/sha256:bad").statusCode()).isEqualTo(400);
    }

    private static byte[] artifact(String artifactType, String subjectDigest, int subjectSize, String note) {
        String emptyDesc = "{\"mediaType\":\"" + EMPTY + "\",\"digest\":\"" + digest("{}".getBytes()) + "\",\"size\":2}";
        return ("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"artifactType\":\"" + artifactType
                + "\",\"config\":" + emptyDesc + ",\"layers\":[" + emptyDesc + "],\"subject\":{\"mediaType\":\""
                + OCI_MANIFEST + "\",\"digest\":\"" + subjectDigest + "\",\"size\":" + subjectSize
                + "},\"annotations\":{\"note\":\"" + note + "\"}}").getBytes();
    }
}
