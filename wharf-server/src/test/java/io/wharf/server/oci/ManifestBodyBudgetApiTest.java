package io.wharf.server.oci;

import static io.wharf.server.oci.Fixtures.OCI_MANIFEST;
import static io.wharf.server.oci.Fixtures.body;
import static io.wharf.server.oci.Fixtures.pushBlob;
import static io.wharf.server.oci.Fixtures.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Manifest bodies are buffered whole, so together they are bounded: TestRegistry's budget is 64 MiB and its
 * largest manifest 4 MiB, so 16 slow pushes of a largest manifest hold all of it.
 */
class ManifestBodyBudgetApiTest extends RegistryTest {
    private static final int HELD = 16;
    private static final int MAX_MANIFEST = 4 << 20;

    @Test
    void manifestsBeyondTheInFlightBudgetAreTooManyRequestsUntilItFrees() throws Exception {
        byte[] config = randomBytes(10);
        pushBlob(r, "budget", config);
        byte[] manifest = Fixtures.manifest(config);
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < HELD; i++) {
                slow.add(startSlowPush("held" + i));
            }
            awaitBudgetHeld();
            HttpResponse<byte[]> refused = r.send("PUT", "/v2/budget/manifests/probe", manifest, "Content-Type", OCI_MANIFEST);
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(body(refused)).contains("TOOMANYREQUESTS");
        } finally {
            for (Socket s : slow) {
                s.close();
            }
        }
        HttpResponse<byte[]> accepted = awaitAccepted(manifest);
        assertThat(accepted.statusCode()).as(body(accepted)).isEqualTo(201);
    }

    /** Declares a largest manifest and sends a first byte of it, then nothing: the server holds its budget share. */
    private static Socket startSlowPush(String tag) throws Exception {
        Socket s = new Socket("127.0.0.1", r.uri("/").getPort());
        OutputStream out = s.getOutputStream();
        out.write(("PUT /v2/budget/manifests/" + tag + " HTTP/1.1\r\nHost: x\r\nContent-Type: " + OCI_MANIFEST
                + "\r\nContent-Length: " + MAX_MANIFEST + "\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return s;
    }

    /**
     * The slow pushes take their share as their requests reach the handler. A probe sent before all have would
     * hold a few bytes and could make the last of them the one refused, so nothing is probed until the whole
     * budget is held (up to 30 s: in the full suite on two cores sixteen handlers have needed more than 5 s).
     */
    private static void awaitBudgetHeld() throws InterruptedException {
        for (int i = 0; i < 600 && r.manifestBudgetAvailable() > 0; i++) {
            Thread.sleep(50);
        }
        assertThat(r.manifestBudgetAvailable()).as("budget bytes still free").isZero();
    }

    private static HttpResponse<byte[]> awaitAccepted(byte[] manifest) throws Exception {
        HttpResponse<byte[]> res = null;
        for (int i = 0; i < 100; i++) {
            res = r.send("PUT", "/v2/budget/manifests/after", manifest, "Content-Type", OCI_MANIFEST);
            if (res.statusCode() == 201) {
                return res;
            }
            Thread.sleep(50);
        }
        return res;
    }
}
