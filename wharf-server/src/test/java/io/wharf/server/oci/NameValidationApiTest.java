package io.wharf.server.oci;

import static io.wharf.server.oci.Fixtures.body;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** Repository names that break the grammar, and paths that try to escape, get NAME_INVALID in OCI JSON. */
class NameValidationApiTest extends RegistryTest {



    @Test
    void namesBreakingTheGrammarAreNameInvalid() throws Exception {
        for (String name : new String[] {"Upper", "a..b", "a//b", "-lead", "trail-", "a_-b", "x/.hidden", "a" .repeat(256)}) {
            HttpResponse<byte[]> res = r.send("POST", "/v2/" + name + "/blobs/uploads/", null);
            assertThat(res.statusCode()).as(name).isEqualTo(400);
            assertThat(body(res)).as(name).contains("NAME_INVALID");
        }
    }

    @Test
    void longestAllowedNameWorks() throws Exception {
        String name = "a".repeat(255);
        assertThat(r.send("POST", "/v2/" + name + "/blobs/uploads/", null).statusCode()).isEqualTo(202);
    }

    @Test
    void encodedAndDotSegmentsNeverEscape() throws Exception {
        for (String path : new String[] {"/v2/%2e%2e/etc/blobs/uploads/", "/v2/a/%2E%2E/b/tags/list",
            "/v2/../../etc/tags/list", "/v2/a/../b/tags/list", "/v2/a%2fb/tags/list", "/v2//abs/tags/list"}) {
            String res = r.raw("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertThat(res).as(path).startsWith("HTTP/1.1 400");
            assertThat(res).as(path).contains("NAME_INVALID");
        }
    }

    @Test
    void reservedSeparatorsAreAccepted() throws Exception {
        for (String name : new String[] {"a.b", "a_b", "a__b", "a---b", "x/y/z", "0"}) {
            assertThat(r.send("POST", "/v2/" + name + "/blobs/uploads/", null).statusCode()).as(name).isEqualTo(202);
        }
    }
}
