package io.wharf.server.oci;

import static io.wharf.server.oci.Fixtures.body;
import static io.wharf.server.oci.Fixtures.digest;
import static io.wharf.server.oci.Fixtures.pushBlob;
import static io.wharf.server.oci.Fixtures.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Blobs damaged on disk (a flipped byte, a truncated or a missing file), served by a real server from a
 * real blob tree: never a short or silent 200, HEAD and GET agree, and the next push repairs.
 */
class BlobIntegrityApiTest extends RegistryTest {

    @Test
    void aRePushReplacesABlobWhoseBytesWereFlipped() throws Exception {
        byte[] blob = randomBytes(4096);
        pushBlob(r, "flip/a", blob);
        Path file = r.blobFile(digest(blob));
        Damages.flipByte(file, 100);

        pushBlob(r, "flip/a", blob); // a same-size copy used to be kept as a duplicate

        assertThat(file).hasBinaryContent(blob);
        assertThat(r.get("/v2/flip/a/blobs/" + digest(blob)).body()).isEqualTo(blob);
    }

    @Test
    void aTruncatedBlobIsUnknownToHeadGetAndRangesAndSetAside() throws Exception {
        byte[] blob = randomBytes(5000);
        pushBlob(r, "trunc/a", blob);
        String path = "/v2/trunc/a/blobs/" + digest(blob);
        Damages.truncate(r.blobFile(digest(blob)), 1000);

        HttpResponse<byte[]> head = r.head(path);
        assertThat(head.statusCode()).isEqualTo(404);
        assertThat(head.headers().firstValue("Docker-Content-Digest")).isEmpty();
        assertUnknownDamaged(r.get(path));
        assertUnknownDamaged(r.get(path, "Range", "bytes=0-99"));
        assertThat(r.blobFile(digest(blob))).doesNotExist();
        assertThat(Damages.quarantined(r.dataDir)).isPositive();
    }

    @Test
    void aTruncatedBlobFoundByGetIsUnknownToTheNextHeadToo() throws Exception {
        byte[] blob = randomBytes(3000);
        pushBlob(r, "trunc/b", blob);
        String path = "/v2/trunc/b/blobs/" + digest(blob);
        Damages.truncate(r.blobFile(digest(blob)), 10);

        assertUnknownDamaged(r.get(path));
        assertThat(r.head(path).statusCode()).isEqualTo(404);
        pushBlob(r, "trunc/b", blob);
        assertThat(r.head(path).statusCode()).isEqualTo(200);
        assertThat(r.get(path).body()).isEqualTo(blob);
    }

    @Test
    void aMissingBlobFileIsUnknownToHeadAndGetAlikeAndIsNotMounted() throws Exception {
        byte[] blob = randomBytes(2000);
        pushBlob(r, "gone/a", blob);
        String path = "/v2/gone/a/blobs/" + digest(blob);
        Files.delete(r.blobFile(digest(blob)));

        assertThat(r.head(path).statusCode()).isEqualTo(404);
        assertUnknownDamaged(r.get(path));
        HttpResponse<byte[]> mount = r.send("POST", "/v2/gone/b/blobs/uploads/?mount=" + digest(blob) + "&from=gone/a", null);
        assertThat(mount.statusCode()).as("a mount of missing bytes opens an upload instead").isEqualTo(202);

        pushBlob(r, "gone/a", blob);
        assertThat(r.head(path).statusCode()).isEqualTo(200);
        assertThat(r.get(path).body()).isEqualTo(blob);
    }

    @Test
    void aManifestReferencingAMissingBlobIsRefused() throws Exception {
        byte[] config = "{\"os\":\"linux\"}".getBytes();
        byte[] layer = randomBytes(700);
        pushBlob(r, "gone/m", config);
        pushBlob(r, "gone/m", layer);
        Files.delete(r.blobFile(digest(layer)));

        HttpResponse<byte[]> put = r.send("PUT", "/v2/gone/m/manifests/1", Fixtures.manifest(config, layer),
                "Content-Type", Fixtures.OCI_MANIFEST);
        assertThat(put.statusCode()).isEqualTo(404);
        assertThat(body(put)).contains("MANIFEST_BLOB_UNKNOWN").contains(digest(layer));
    }

    static void assertUnknownDamaged(HttpResponse<byte[]> res) {
        assertThat(res.statusCode()).isEqualTo(404);
        assertThat(body(res)).contains("BLOB_UNKNOWN").contains("damaged");
        assertThat(res.headers().firstValue("Cache-Control")).isEmpty();
    }
}
