package io.wharf.server.oci;

import static io.wharf.server.oci.Fixtures.body;
import static io.wharf.server.oci.Fixtures.digest;
import static io.wharf.server.oci.Fixtures.pushBlob;
import static io.wharf.server.oci.Fixtures.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.service.RegistryLimits;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class BlobUploadApiTest extends RegistryTest {



    @Test
    void baseEndpointAnswersWithApiVersion() throws Exception {
        HttpResponse<byte[]> res = r.get("/v2/");
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.headers().firstValue("Docker-Distribution-API-Version")).hasValue("registry/2.0");
    }

    @Test
    void monolithicPostStoresBlobReadableByHeadAndGet() throws Exception {
        byte[] blob = randomBytes(5000);
        HttpResponse<byte[]> res = r.send("POST", "/v2/mono/blobs/uploads/?digest=" + digest(blob), blob);
        assertThat(res.statusCode()).isEqualTo(201);
        assertThat(res.headers().firstValue("Location")).hasValue("/v2/mono/blobs/" + digest(blob));
        assertThat(res.headers().firstValue("Docker-Content-Digest")).hasValue(digest(blob));

        HttpResponse<byte[]> head = r.head("/v2/mono/blobs/" + digest(blob));
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("Content-Length")).hasValue("5000");
        assertThat(head.headers().firstValue("Docker-Content-Digest")).hasValue(digest(blob));
        assertThat(head.body()).isEmpty();

        HttpResponse<byte[]> get = r.get("/v2/mono/blobs/" + digest(blob));
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.body()).isEqualTo(blob);
    }

    /** A digest written out (FIPS 180-2's "abc"), not computed by the code under test like the others here. */
    @Test
    void aKnownAnswerDigestIsAcceptedAndAWrongOneRefused() throws Exception {
        byte[] abc = "abc".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        String known = "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        String emptys = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        HttpResponse<byte[]> wrong = r.send("POST", "/v2/kat/blobs/uploads/?digest=" + emptys, abc);
        assertThat(wrong.statusCode()).isEqualTo(400);
        assertThat(body(wrong)).contains("DIGEST_INVALID");
        HttpResponse<byte[]> res = r.send("POST", "/v2/kat/blobs/uploads/?digest=" + known, abc);
        assertThat(res.statusCode()).isEqualTo(201);
        assertThat(res.headers().firstValue("Docker-Content-Digest")).hasValue(known);
        assertThat(r.get("/v2/kat/blobs/" + known).body()).isEqualTo(abc);
    }

    @Test
    void postThenSinglePut() throws Exception {
        byte[] blob = randomBytes(3000);
        String location = start("single");
        HttpResponse<byte[]> put = r.send("PUT", location + "?digest=" + digest(blob), blob,
                "Content-Type", "application/octet-stream");
        assertThat(put.statusCode()).isEqualTo(201);
        assertThat(r.get("/v2/single/blobs/" + digest(blob)).body()).isEqualTo(blob);
    }

    @Test
    void chunkedUploadChecksContentRangeAndReportsProgress() throws Exception {
        byte[] blob = randomBytes(300);
        String location = start("chunked");
        HttpResponse<byte[]> first = patch(location, blob, 0, 100);
        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(first.headers().firstValue("Range")).hasValue("0-99");
        assertThat(first.headers().firstValue("Location")).hasValue(location);

        HttpResponse<byte[]> status = r.get(location);
        assertThat(status.statusCode()).isEqualTo(204);
        assertThat(status.headers().firstValue("Range")).hasValue("0-99");

        HttpResponse<byte[]> outOfOrder = patch(location, blob, 200, 300);
        assertThat(outOfOrder.statusCode()).isEqualTo(416);
        assertThat(outOfOrder.headers().firstValue("Range")).hasValue("0-99");
        assertThat(body(outOfOrder)).contains("RANGE_INVALID");

        assertThat(patch(location, blob, 100, 200).statusCode()).isEqualTo(202);
        HttpResponse<byte[]> last = r.send("PUT", location + "?digest=" + digest(blob),
                Arrays.copyOfRange(blob, 200, 300), "Content-Range", "200-299", "Content-Type", "application/octet-stream");
        assertThat(last.statusCode()).isEqualTo(201);
        assertThat(r.get("/v2/chunked/blobs/" + digest(blob)).body()).isEqualTo(blob);
    }

    @Test
    void streamedPatchWithoutContentRangeThenEmptyPut() throws Exception {
        byte[] blob = randomBytes(200_000);
        String location = start("streamed");
        HttpRequest streamed = r.request(location)
                .method("PATCH", HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(blob)))
                .header("Content-Type", "application/octet-stream").build();
        HttpResponse<byte[]> res = r.send(streamed);
        assertThat(res.statusCode()).isEqualTo(202);
        assertThat(res.headers().firstValue("Range")).hasValue("0-199999");
        assertThat(r.send("PUT", location + "?digest=" + digest(blob), null).statusCode()).isEqualTo(201);
        assertThat(r.get("/v2/streamed/blobs/" + digest(blob)).body()).isEqualTo(blob);
    }

    @Test
    void digestMismatchIsRefusedAndNothingBecomesVisible() throws Exception {
        byte[] blob = randomBytes(100);
        String wrong = digest(randomBytes(10));
        HttpResponse<byte[]> res = r.send("POST", "/v2/mismatch/blobs/uploads/?digest=" + wrong, blob);
        assertThat(res.statusCode()).isEqualTo(400);
        assertThat(body(res)).contains("DIGEST_INVALID");
        assertThat(r.head("/v2/mismatch/blobs/" + wrong).statusCode()).isEqualTo(404);
        assertThat(r.head("/v2/mismatch/blobs/" + digest(blob)).statusCode()).isEqualTo(404);

        String location = start("mismatch");
        assertThat(patch(location, blob, 0, 100).statusCode()).isEqualTo(202);
        assertThat(r.send("PUT", location + "?digest=" + wrong, null).statusCode()).isEqualTo(400);
        // the session survives a wrong digest; the right one still completes it
        assertThat(r.send("PUT", location + "?digest=" + digest(blob), null).statusCode()).isEqualTo(201);
    }

    @Test
    void malformedAndUnsupportedDigestsAreDigestInvalid() throws Exception {
        for (String bad : new String[] {"sha256:abc", "sha256:" + "G".repeat(64), "md5:d41d8cd98f00b204e9800998ecf8427e", "nocolon"}) {
            HttpResponse<byte[]> res = r.send("POST", "/v2/bad/blobs/uploads/?digest=" + bad, new byte[] {1});
            assertThat(res.statusCode()).as(bad).isEqualTo(400);
            assertThat(body(res)).as(bad).contains("DIGEST_INVALID");
        }
        HttpResponse<byte[]> head = r.head("/v2/bad/blobs/sha256:123");
        assertThat(head.statusCode()).isEqualTo(400);
    }

    @Test
    void putWithoutDigestIsDigestInvalid() throws Exception {
        String location = start("nodigest");
        HttpResponse<byte[]> res = r.send("PUT", location, new byte[] {1, 2});
        assertThat(res.statusCode()).isEqualTo(400);
        assertThat(body(res)).contains("DIGEST_INVALID");
    }

    @Test
    void contentLengthMustMatchContentRange() throws Exception {
        String location = start("lenrange");
        HttpResponse<byte[]> res = r.send("PATCH", location, randomBytes(10), "Content-Range", "0-19");
        assertThat(res.statusCode()).isEqualTo(416);
        HttpResponse<byte[]> garbage = r.send("PATCH", location, randomBytes(10), "Content-Range", "abc");
        assertThat(garbage.statusCode()).isEqualTo(416);
        assertThat(r.get(location).headers().firstValue("Range")).hasValue("0-0");
    }

    @Test
    void rangeRequestsOnBlobs() throws Exception {
        byte[] blob = randomBytes(1000);
        pushBlob(r, "ranges", blob);
        String path = "/v2/ranges/blobs/" + digest(blob);
        HttpResponse<byte[]> partial = r.get(path, "Range", "bytes=10-19");
        assertThat(partial.statusCode()).isEqualTo(206);
        assertThat(partial.headers().firstValue("Content-Range")).hasValue("bytes 10-19/1000");
        assertThat(partial.body()).isEqualTo(Arrays.copyOfRange(blob, 10, 20));

        HttpResponse<byte[]> suffix = r.get(path, "Range", "bytes=-5");
        assertThat(suffix.body()).isEqualTo(Arrays.copyOfRange(blob, 995, 1000));
        HttpResponse<byte[]> open = r.get(path, "Range", "bytes=990-");
        assertThat(open.body()).isEqualTo(Arrays.copyOfRange(blob, 990, 1000));

        HttpResponse<byte[]> beyond = r.get(path, "Range", "bytes=1000-2000");
        assertThat(beyond.statusCode()).isEqualTo(416);
        assertThat(beyond.headers().firstValue("Content-Range")).hasValue("bytes */1000");
    }

    @Test
    void cancelledAndUnknownUploadsAreUploadUnknown() throws Exception {
        String location = start("cancel");
        assertThat(r.send("DELETE", location, null).statusCode()).isEqualTo(204);
        HttpResponse<byte[]> after = r.get(location);
        assertThat(after.statusCode()).isEqualTo(404);
        assertThat(body(after)).contains("BLOB_UPLOAD_UNKNOWN");
        assertThat(r.send("PATCH", "/v2/cancel/blobs/uploads/no-such-id", new byte[] {1}).statusCode()).isEqualTo(404);
    }

    @Test
    void uploadSessionBelongsToItsRepository() throws Exception {
        String location = start("owner-a");
        start("owner-b");
        String id = location.substring(location.lastIndexOf('/') + 1);
        HttpResponse<byte[]> res = r.get("/v2/owner-b/blobs/uploads/" + id);
        assertThat(res.statusCode()).isEqualTo(404);
    }

    @Test
    void crossRepositoryMount() throws Exception {
        byte[] blob = randomBytes(700);
        pushBlob(r, "mount-src", blob);
        HttpResponse<byte[]> mounted = r.send("POST",
                "/v2/mount-dst/blobs/uploads/?mount=" + digest(blob) + "&from=mount-src", null);
        assertThat(mounted.statusCode()).isEqualTo(201);
        assertThat(mounted.headers().firstValue("Location")).hasValue("/v2/mount-dst/blobs/" + digest(blob));
        assertThat(r.get("/v2/mount-dst/blobs/" + digest(blob)).body()).isEqualTo(blob);

        String missing = digest(randomBytes(5));
        HttpResponse<byte[]> fallback = r.send("POST",
                "/v2/mount-dst/blobs/uploads/?mount=" + missing + "&from=mount-src", null);
        assertThat(fallback.statusCode()).isEqualTo(202);
        assertThat(fallback.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).startsWith("/v2/mount-dst/blobs/uploads/"));
    }

    @Test
    void automaticMountWithoutFromFollowsTheSwitch() throws Exception {
        byte[] blob = randomBytes(300);
        pushBlob(r, "auto-src", blob);
        assertThat(r.send("POST", "/v2/auto-dst/blobs/uploads/?mount=" + digest(blob), null).statusCode()).isEqualTo(201);

        RegistryLimits d = RegistryLimits.defaults();
        try (TestRegistry off = new TestRegistry(new RegistryLimits(d.maxManifestBytes(), d.maxBlobBytes(),
                d.maxPageSize(), d.uploadTimeout(), false))) {
            pushBlob(off, "auto-src", blob);
            assertThat(off.send("POST", "/v2/auto-dst/blobs/uploads/?mount=" + digest(blob), null).statusCode()).isEqualTo(202);
        }
    }

    @Test
    void deleteBlobUnlinksItFromTheRepository() throws Exception {
        byte[] blob = randomBytes(64);
        pushBlob(r, "del-blob", blob);
        pushBlob(r, "del-blob-other", blob);
        assertThat(r.send("DELETE", "/v2/del-blob/blobs/" + digest(blob), null).statusCode()).isEqualTo(202);
        assertThat(r.head("/v2/del-blob/blobs/" + digest(blob)).statusCode()).isEqualTo(404);
        assertThat(r.head("/v2/del-blob-other/blobs/" + digest(blob)).statusCode()).isEqualTo(200);
        HttpResponse<byte[]> again = r.send("DELETE", "/v2/del-blob/blobs/" + digest(blob), null);
        assertThat(again.statusCode()).isEqualTo(404);
        assertThat(body(again)).contains("BLOB_UNKNOWN");
    }

    @Test
    void blobOverTheLimitIsRefusedWith413() throws Exception {
        RegistryLimits d = RegistryLimits.defaults();
        try (TestRegistry small = new TestRegistry(new RegistryLimits(d.maxManifestBytes(), 1000, d.maxPageSize(),
                Duration.ofHours(1), true))) {
            byte[] blob = randomBytes(1001);
            HttpResponse<byte[]> res = small.send("POST", "/v2/big/blobs/uploads/?digest=" + digest(blob), blob);
            assertThat(res.statusCode()).isEqualTo(413);
            assertThat(body(res)).contains("SIZE_INVALID");
            assertThat(small.head("/v2/big/blobs/" + digest(blob)).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void unknownBlobIsBlobUnknown() throws Exception {
        pushBlob(r, "exists", randomBytes(3));
        HttpResponse<byte[]> res = r.get("/v2/exists/blobs/" + digest(randomBytes(4)));
        assertThat(res.statusCode()).isEqualTo(404);
        assertThat(body(res)).contains("BLOB_UNKNOWN");
    }

    private static String start(String repo) throws Exception {
        HttpResponse<byte[]> res = r.send("POST", "/v2/" + repo + "/blobs/uploads/", null);
        assertThat(res.statusCode()).isEqualTo(202);
        assertThat(res.headers().firstValue("Range")).hasValue("0-0");
        assertThat(res.headers().firstValue("Docker-Upload-UUID")).isPresent();
        return res.headers().firstValue("Location").orElseThrow();
    }

    private static HttpResponse<byte[]> patch(String location, byte[] blob, int from, int to) throws Exception {
        return r.send("PATCH", location, Arrays.copyOfRange(blob, from, to),
                "Content-Range", from + "-" + (to - 1), "Content-Type", "application/octet-stream");
    }
}
