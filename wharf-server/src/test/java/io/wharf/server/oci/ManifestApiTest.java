package io.wharf.server.oci;

import static io.wharf.server.oci.Fixtures.OCI_CONFIG;
import static io.wharf.server.oci.Fixtures.OCI_INDEX;
import static io.wharf.server.oci.Fixtures.OCI_MANIFEST;
import static io.wharf.server.oci.Fixtures.body;
import static io.wharf.server.oci.Fixtures.descriptor;
import static io.wharf.server.oci.Fixtures.digest;
import static io.wharf.server.oci.Fixtures.pushBlob;
import static io.wharf.server.oci.Fixtures.pushImage;
import static io.wharf.server.oci.Fixtures.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.model.Digest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class ManifestApiTest extends RegistryTest {



    @Test
    void pushByTagThenGetAndHeadByTagAndDigest() throws Exception {
        byte[] manifest = pushImage(r, "app/web", "v1");
        String digest = digest(manifest);
        for (String ref : new String[] {"v1", digest}) {
            HttpResponse<byte[]> get = r.get("/v2/app/web/manifests/" + ref);
            assertThat(get.statusCode()).isEqualTo(200);
            assertThat(get.body()).isEqualTo(manifest);
            assertThat(get.headers().firstValue("Content-Type")).hasValue(OCI_MANIFEST);
            assertThat(get.headers().firstValue("Docker-Content-Digest")).hasValue(digest);
            HttpResponse<byte[]> head = r.head("/v2/app/web/manifests/" + ref);
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.headers().firstValue("Content-Length")).hasValue(String.valueOf(manifest.length));
            assertThat(head.headers().firstValue("Content-Type")).hasValue(OCI_MANIFEST);
            assertThat(head.body()).isEmpty();
        }
    }

    @Test
    void putAnswersCreatedWithLocationAndDigest() throws Exception {
        byte[] config = "{}".getBytes();
        pushBlob(r, "created", config);
        byte[] manifest = Fixtures.manifest(config);
        HttpResponse<byte[]> res = r.send("PUT", "/v2/created/manifests/latest", manifest, "Content-Type", OCI_MANIFEST);
        assertThat(res.statusCode()).isEqualTo(201);
        assertThat(res.headers().firstValue("Location")).hasValue("/v2/created/manifests/" + digest(manifest));
        assertThat(res.headers().firstValue("Docker-Content-Digest")).hasValue(digest(manifest));
        assertThat(res.headers().firstValue("OCI-Subject")).isEmpty();
    }

    @Test
    void manifestReferencingMissingBlobIsRefusedAndTagNotCreated() throws Exception {
        byte[] config = randomBytes(20);
        byte[] layer = randomBytes(20);
        pushBlob(r, "missing", config);
        HttpResponse<byte[]> res = r.send("PUT", "/v2/missing/manifests/t", Fixtures.manifest(config, layer),
                "Content-Type", OCI_MANIFEST);
        assertThat(res.statusCode()).isEqualTo(404);
        assertThat(body(res)).contains("MANIFEST_BLOB_UNKNOWN").contains(digest(layer));
        assertThat(r.get("/v2/missing/manifests/t").statusCode()).isEqualTo(404);
    }

    @Test
    void blobsOfAnotherRepositoryDoNotCount() throws Exception {
        byte[] config = randomBytes(20);
        pushBlob(r, "elsewhere", config);
        HttpResponse<byte[]> res = r.send("PUT", "/v2/isolated/manifests/t", Fixtures.manifest(config),
                "Content-Type", OCI_MANIFEST);
        assertThat(res.statusCode()).isEqualTo(404);
        assertThat(body(res)).contains("MANIFEST_BLOB_UNKNOWN");
    }

    @Test
    void invalidManifestsAreManifestInvalid() throws Exception {
        String[] bodies = {
            "not json",
            "[1,2]",
            "{\"schemaVersion\":1,\"mediaType\":\"" + OCI_MANIFEST + "\"}",
            "{\"schemaVersion\":2,\"mediaType\":\"application/x-unknown\"}",
            "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"layers\":[]}",
            "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":{\"mediaType\":\"x\",\"digest\":\"sha256:12\",\"size\":1}}",
            "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":{\"mediaType\":\"x\",\"size\":-1,\"digest\":\"" + digest(new byte[0]) + "\"}}",
        };
        for (String b : bodies) {
            HttpResponse<byte[]> res = r.send("PUT", "/v2/invalid/manifests/t", b.getBytes(), "Content-Type", OCI_MANIFEST);
            assertThat(res.statusCode()).as(b).isEqualTo(400);
            assertThat(body(res)).as(b).contains("MANIFEST_INVALID");
        }
    }

    @Test
    void manifestsNoClientCouldReadAreManifestInvalidAndNotStored() throws Exception {
        byte[] config = randomBytes(12);
        pushBlob(r, "strict", config);
        String good = new String(Fixtures.manifest(config), StandardCharsets.UTF_8);
        String noMediaType = good.replace("\"mediaType\":\"" + OCI_MANIFEST + "\",", "");
        byte[] bom = ("\uFEFF" + good).getBytes(StandardCharsets.UTF_8);
        byte[][] bodies = {
            (good + "garbage").getBytes(StandardCharsets.UTF_8),
            (good + "{}").getBytes(StandardCharsets.UTF_8),
            bom,
            good.getBytes(StandardCharsets.UTF_16),
            good.getBytes(StandardCharsets.UTF_16LE),
            good.replace("\"layers\":[]", "\"layers\":null").getBytes(StandardCharsets.UTF_8),
            good.replace(",\"layers\":[]", "").getBytes(StandardCharsets.UTF_8),
            good.replace("\"size\":12", "\"size\":13").getBytes(StandardCharsets.UTF_8),
            good.replace("{\"schemaVersion\":2,", "{\"schemaVersion\":2,\"schemaVersion\":2,").getBytes(StandardCharsets.UTF_8),
        };
        for (byte[] b : bodies) {
            HttpResponse<byte[]> res = r.send("PUT", "/v2/strict/manifests/t", b, "Content-Type", OCI_MANIFEST);
            assertThat(res.statusCode()).as(new String(b, StandardCharsets.ISO_8859_1)).isEqualTo(400);
            assertThat(body(res)).as(new String(b, StandardCharsets.ISO_8859_1)).contains("MANIFEST_INVALID");
        }
        HttpResponse<byte[]> plain = r.send("PUT", "/v2/strict/manifests/t", noMediaType.getBytes(StandardCharsets.UTF_8),
                "Content-Type", "text/plain");
        assertThat(plain.statusCode()).isEqualTo(400);
        assertThat(body(plain)).contains("MANIFEST_INVALID");
        assertThat(r.get("/v2/strict/manifests/t").statusCode()).isEqualTo(404);
        assertThat(r.send("PUT", "/v2/strict/manifests/t", (good + "\n").getBytes(StandardCharsets.UTF_8),
                "Content-Type", OCI_MANIFEST).statusCode()).as("trailing whitespace is still JSON").isEqualTo(201);
    }

    @Test
    void indexChildSizesMustMatchAndIndexesNeedTheirManifestsArray() throws Exception {
        byte[] child = pushImage(r, "strictidx", digestTag());
        String entry = descriptor(OCI_MANIFEST, child);
        String wrongSize = entry.replace("\"size\":" + child.length, "\"size\":" + (child.length + 1));
        for (String b : new String[] {
            "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_INDEX + "\",\"manifests\":[" + wrongSize + "]}",
            "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_INDEX + "\",\"manifests\":null}",
        }) {
            HttpResponse<byte[]> res = r.send("PUT", "/v2/strictidx/manifests/i", b.getBytes(), "Content-Type", OCI_INDEX);
            assertThat(res.statusCode()).as(b).isEqualTo(400);
            assertThat(body(res)).as(b).contains("MANIFEST_INVALID");
        }
    }

    @Test
    void mediaTypeFieldMustAgreeWithContentType() throws Exception {
        byte[] config = randomBytes(10);
        pushBlob(r, "ctype", config);
        HttpResponse<byte[]> res = r.send("PUT", "/v2/ctype/manifests/t", Fixtures.manifest(config),
                "Content-Type", "application/vnd.docker.distribution.manifest.v2+json");
        assertThat(res.statusCode()).isEqualTo(400);
    }

    @Test
    void manifestWithoutMediaTypeFieldTakesItFromContentType() throws Exception {
        byte[] config = randomBytes(30);
        pushBlob(r, "podman", config);
        byte[] manifest = ("{\"schemaVersion\":2,\"config\":" + descriptor(OCI_CONFIG, config) + ",\"layers\":[]}").getBytes();
        HttpResponse<byte[]> res = r.send("PUT", "/v2/podman/manifests/emptylayer", manifest, "Content-Type", OCI_MANIFEST);
        assertThat(res.statusCode()).isEqualTo(201);
        assertThat(r.get("/v2/podman/manifests/emptylayer").headers().firstValue("Content-Type")).hasValue(OCI_MANIFEST);
    }

    @Test
    void pushByDigestChecksTheDigest() throws Exception {
        byte[] config = randomBytes(10);
        pushBlob(r, "bydigest", config);
        byte[] manifest = Fixtures.manifest(config);
        assertThat(r.send("PUT", "/v2/bydigest/manifests/" + digest(manifest), manifest, "Content-Type", OCI_MANIFEST)
                .statusCode()).isEqualTo(201);
        HttpResponse<byte[]> wrong = r.send("PUT", "/v2/bydigest/manifests/" + digest(randomBytes(3)), manifest,
                "Content-Type", OCI_MANIFEST);
        assertThat(wrong.statusCode()).isEqualTo(400);
        assertThat(body(wrong)).contains("DIGEST_INVALID");
        assertThat(r.send("PUT", "/v2/bydigest/manifests/sha256:baddigeststring", manifest, "Content-Type", OCI_MANIFEST)
                .statusCode()).isEqualTo(400);
    }

    @Test
    void sha512ManifestDigests() throws Exception {
        byte[] config = randomBytes(10);
        pushBlob(r, "sha512", config);
        byte[] manifest = Fixtures.manifest(config);
        String d512 = "sha512:" + HexFormat.of().formatHex(Digest.Algorithm.SHA512.newMessageDigest().digest(manifest));
        HttpResponse<byte[]> put = r.send("PUT", "/v2/sha512/manifests/" + d512, manifest, "Content-Type", OCI_MANIFEST);
        assertThat(put.statusCode()).isEqualTo(201);
        assertThat(put.headers().firstValue("Docker-Content-Digest")).hasValue(d512);
        HttpResponse<byte[]> get = r.get("/v2/sha512/manifests/" + d512);
        assertThat(get.body()).isEqualTo(manifest);
        assertThat(get.headers().firstValue("Docker-Content-Digest")).hasValue(d512);
    }

    @Test
    void indexNeedsItsChildrenInTheRepository() throws Exception {
        byte[] child = pushImage(r, "multi", digestTag());
        String index = "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_INDEX + "\",\"manifests\":["
                + descriptor(OCI_MANIFEST, child).replace("}", ",\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}}") + "]}";
        HttpResponse<byte[]> ok = r.send("PUT", "/v2/multi/manifests/latest", index.getBytes(), "Content-Type", OCI_INDEX);
        assertThat(ok.statusCode()).isEqualTo(201);
        assertThat(r.get("/v2/multi/manifests/latest").headers().firstValue("Content-Type")).hasValue(OCI_INDEX);

        String dangling = "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_INDEX + "\",\"manifests\":["
                + descriptor(OCI_MANIFEST, randomBytes(9)) + "]}";
        HttpResponse<byte[]> bad = r.send("PUT", "/v2/multi/manifests/broken", dangling.getBytes(), "Content-Type", OCI_INDEX);
        assertThat(bad.statusCode()).isEqualTo(404);
        assertThat(body(bad)).contains("MANIFEST_BLOB_UNKNOWN");
    }

    @Test
    void dockerSchema2ManifestAndManifestList() throws Exception {
        byte[] config = randomBytes(40);
        byte[] layer = randomBytes(40);
        pushBlob(r, "docker", config);
        pushBlob(r, "docker", layer);
        String v2 = "application/vnd.docker.distribution.manifest.v2+json";
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + v2 + "\",\"config\":"
                + descriptor("application/vnd.docker.container.image.v1+json", config) + ",\"layers\":["
                + descriptor("application/vnd.docker.image.rootfs.diff.tar.gzip", layer) + ","
                + "{\"mediaType\":\"application/vnd.docker.image.rootfs.foreign.diff.tar.gzip\",\"size\":5,\"digest\":\""
                + digest(randomBytes(5)) + "\",\"urls\":[\"https://example.invalid/layer\"]}]}").getBytes();
        assertThat(r.send("PUT", "/v2/docker/manifests/" + digest(manifest), manifest, "Content-Type", v2).statusCode())
                .isEqualTo(201);
        String listType = "application/vnd.docker.distribution.manifest.list.v2+json";
        byte[] list = ("{\"schemaVersion\":2,\"mediaType\":\"" + listType + "\",\"manifests\":[" + descriptor(v2, manifest) + "]}").getBytes();
        assertThat(r.send("PUT", "/v2/docker/manifests/latest", list, "Content-Type", listType).statusCode()).isEqualTo(201);
        HttpResponse<byte[]> get = r.get("/v2/docker/manifests/latest");
        assertThat(get.headers().firstValue("Content-Type")).hasValue(listType);
        assertThat(get.body()).isEqualTo(list);
    }

    @Test
    void schema1IsRefused() throws Exception {
        HttpResponse<byte[]> res = r.send("PUT", "/v2/old/manifests/t", "{\"schemaVersion\":1,\"name\":\"old\"}".getBytes(),
                "Content-Type", "application/vnd.docker.distribution.manifest.v1+prettyjws");
        assertThat(res.statusCode()).isEqualTo(400);
        assertThat(body(res)).contains("MANIFEST_INVALID");
    }

    @Test
    void oversizedManifestIsRefusedWith413() throws Exception {
        byte[] huge = new byte[4 * 1024 * 1024 + 1];
        java.util.Arrays.fill(huge, (byte) ' ');
        HttpResponse<byte[]> res = r.send("PUT", "/v2/huge/manifests/t", huge, "Content-Type", OCI_MANIFEST);
        assertThat(res.statusCode()).isEqualTo(413);
        assertThat(body(res)).contains("SIZE_INVALID");
    }

    @Test
    void invalidTagsOnPushAreTagInvalidAndOnReadAreUnknown() throws Exception {
        pushImage(r, "tags-ok", "ok");
        for (String tag : new String[] {".hidden", "-dash", "a".repeat(129), "sp%20ace"}) {
            HttpResponse<byte[]> put = r.send("PUT", "/v2/tags-ok/manifests/" + tag, "{}".getBytes(), "Content-Type", OCI_MANIFEST);
            assertThat(put.statusCode()).as(tag).isEqualTo(400);
            assertThat(body(put)).as(tag).contains("TAG_INVALID");
        }
        assertThat(r.get("/v2/tags-ok/manifests/.INVALID_MANIFEST_NAME").statusCode()).isEqualTo(404);
        assertThat(r.head("/v2/tags-ok/manifests/.INVALID_MANIFEST_NAME").statusCode()).isEqualTo(404);
        assertThat(r.send("PUT", "/v2/tags-ok/manifests/" + "a".repeat(128), pushImageBody(), "Content-Type", OCI_MANIFEST)
                .statusCode()).isEqualTo(201);
    }

    @Test
    void deleteTagKeepsManifestAndDeleteDigestRemovesManifestAndTags() throws Exception {
        byte[] manifest = pushImage(r, "deletes", "keep");
        String digest = digest(manifest);
        r.send("PUT", "/v2/deletes/manifests/other", manifest, "Content-Type", OCI_MANIFEST);
        assertThat(r.send("DELETE", "/v2/deletes/manifests/other", null).statusCode()).isEqualTo(202);
        assertThat(r.get("/v2/deletes/manifests/other").statusCode()).isEqualTo(404);
        assertThat(r.get("/v2/deletes/manifests/keep").statusCode()).isEqualTo(200);

        assertThat(r.send("DELETE", "/v2/deletes/manifests/" + digest, null).statusCode()).isEqualTo(202);
        assertThat(r.head("/v2/deletes/manifests/" + digest).statusCode()).isEqualTo(404);
        assertThat(r.head("/v2/deletes/manifests/keep").statusCode()).isEqualTo(404);
        HttpResponse<byte[]> again = r.send("DELETE", "/v2/deletes/manifests/" + digest, null);
        assertThat(again.statusCode()).isEqualTo(404);
        assertThat(body(again)).contains("MANIFEST_UNKNOWN");
        assertThat(body(r.get("/v2/deletes/tags/list"))).contains("\"tags\":[]");
    }

    @Test
    void unknownManifestAndUnknownRepository() throws Exception {
        pushImage(r, "known", "a");
        HttpResponse<byte[]> m = r.get("/v2/known/manifests/nope");
        assertThat(m.statusCode()).isEqualTo(404);
        assertThat(body(m)).contains("MANIFEST_UNKNOWN");
        HttpResponse<byte[]> n = r.get("/v2/never/pushed/manifests/latest");
        assertThat(n.statusCode()).isEqualTo(404);
        assertThat(body(n)).contains("NAME_UNKNOWN");
    }

    @Test
    void wrongMethodIsUnsupported() throws Exception {
        HttpResponse<byte[]> res = r.send("POST", "/v2/x/manifests/latest", new byte[0]);
        assertThat(res.statusCode()).isEqualTo(405);
        assertThat(body(res)).contains("UNSUPPORTED");
    }

    private static byte[] pushImageBody() throws Exception {
        byte[] config = randomBytes(11);
        pushBlob(r, "tags-ok", config);
        return Fixtures.manifest(config);
    }

    private static String digestTag() {
        return "child-" + System.nanoTime();
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
