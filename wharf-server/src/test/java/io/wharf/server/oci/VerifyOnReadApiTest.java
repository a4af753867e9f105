package io.wharf.server.oci;

import static io.wharf.server.oci.Fixtures.digest;
import static io.wharf.server.oci.Fixtures.pushBlob;
import static io.wharf.server.oci.Fixtures.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.service.Quotas;
import io.wharf.core.service.RegistryLimits;
import io.wharf.server.auth.DisabledAuth;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code integrity.verify-on-read}: a full GET of a blob whose bytes were flipped never completes cleanly. */
class VerifyOnReadApiTest {
    private static TestRegistry r;

    @BeforeAll
    static void start() throws Exception {
        r = new TestRegistry(RegistryLimits.defaults(), Quotas.defaults(), true,
                new DisabledAuth(TestRegistry.ACCOUNT, Clock.systemUTC()), true);
    }

    @AfterAll
    static void stop() throws Exception {
        r.close();
    }

    @Test
    void aLargeDamagedBlobIsBrokenOffBeforeItsEndThenUnknownAndRepairedByAPush() throws Exception {
        byte[] blob = randomBytes(20 << 20); // three 8 MiB pieces: the first ones are out before the mismatch shows
        pushBlob(r, "verify/big", blob);
        String path = "/v2/verify/big/blobs/" + digest(blob);
        Damages.flipByte(r.blobFile(digest(blob)), 1 << 20);

        assertThat(readFully(path)).as("bytes received before the transfer broke").isLessThan(blob.length);
        assertThat(r.head(path).statusCode()).as("set aside once detected").isEqualTo(404);

        pushBlob(r, "verify/big", blob);
        HttpResponse<byte[]> get = r.get(path);
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.body()).isEqualTo(blob);
    }

    @Test
    void aSmallDamagedBlobGetsACleanErrorInsteadOfItsBytes() throws Exception {
        byte[] blob = randomBytes(1000);
        pushBlob(r, "verify/small", blob);
        Damages.flipByte(r.blobFile(digest(blob)), 10);

        BlobIntegrityApiTest.assertUnknownDamaged(r.get("/v2/verify/small/blobs/" + digest(blob)));
        assertThat(r.get("/v2/verify/small/blobs/" + digest(blob), "Range", "bytes=0-9").statusCode()).isEqualTo(404);
    }

    @Test
    void intactBlobsAreServedWhole() throws Exception {
        byte[] blob = randomBytes(9 << 20);
        pushBlob(r, "verify/ok", blob);
        assertThat(r.get("/v2/verify/ok/blobs/" + digest(blob)).body()).isEqualTo(blob);
    }

    /** Bytes of the body read until the end or until the connection broke; a clean 200 of all bytes fails the test. */
    private static long readFully(String path) throws InterruptedException {
        long n = 0;
        try {
            HttpResponse<InputStream> res = HttpClientHolder.send(r, path);
            assertThat(res.statusCode()).isEqualTo(200);
            try (InputStream in = res.body()) {
                byte[] buf = new byte[1 << 16];
                for (int k = in.read(buf); k >= 0; k = in.read(buf)) {
                    n += k;
                }
            }
        } catch (IOException e) {
            return n; // the transfer broke, as it must
        }
        return n;
    }

    private static final class HttpClientHolder {
        static HttpResponse<InputStream> send(TestRegistry reg, String path) throws IOException, InterruptedException {
            return java.net.http.HttpClient.newHttpClient().send(reg.request(path).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
        }
    }
}
