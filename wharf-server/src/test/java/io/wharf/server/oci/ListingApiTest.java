package io.wharf.server.oci;

import static io.wharf.server.oci.Fixtures.body;
import static io.wharf.server.oci.Fixtures.pushImage;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ListingApiTest extends RegistryTest {

    @BeforeAll
    static void seed() throws Exception {
        byte[] manifest = pushImage(r, "lib/tags", "b");
        for (String t : new String[] {"a", "C", "d", "TEST0", "test0", "_under"}) {
            r.send("PUT", "/v2/lib/tags/manifests/" + t, manifest, "Content-Type", Fixtures.OCI_MANIFEST);
        }
        for (String repo : new String[] {"zeta", "alpha", "mid/dle", "alpha/sub"}) {
            pushImage(r, repo, "x");
        }
    }


    @Test
    void tagsAreSortedAndComplete() throws Exception {
        assertThat(tags("/v2/lib/tags/tags/list")).containsExactly("C", "TEST0", "_under", "a", "b", "d", "test0");
    }

    @Test
    void tagsPaginateWithNLastAndLink() throws Exception {
        HttpResponse<byte[]> page = r.get("/v2/lib/tags/tags/list?n=3");
        assertThat(names(page, "tags")).containsExactly("C", "TEST0", "_under");
        assertThat(page.headers().firstValue("Link")).hasValue("</v2/lib/tags/tags/list?n=3&last=_under>; rel=\"next\"");
        List<String> walked = new ArrayList<>();
        String next = "/v2/lib/tags/tags/list?n=3";
        while (next != null) {
            HttpResponse<byte[]> res = r.get(next);
            walked.addAll(names(res, "tags"));
            next = res.headers().firstValue("Link").map(l -> l.substring(1, l.indexOf('>'))).orElse(null);
        }
        assertThat(walked).containsExactly("C", "TEST0", "_under", "a", "b", "d", "test0");
        assertThat(tags("/v2/lib/tags/tags/list?last=a")).containsExactly("b", "d", "test0");
        assertThat(tags("/v2/lib/tags/tags/list?n=2&last=b")).containsExactly("d", "test0");
        HttpResponse<byte[]> zero = r.get("/v2/lib/tags/tags/list?n=0");
        assertThat(names(zero, "tags")).isEmpty();
        assertThat(zero.headers().firstValue("Link")).isEmpty();
        HttpResponse<byte[]> exact = r.get("/v2/lib/tags/tags/list?n=7");
        assertThat(exact.headers().firstValue("Link")).isEmpty();
    }

    @Test
    void badPageSizeIsRefused() throws Exception {
        for (String n : new String[] {"-1", "abc"}) {
            HttpResponse<byte[]> res = r.get("/v2/lib/tags/tags/list?n=" + n);
            assertThat(res.statusCode()).isEqualTo(400);
            assertThat(body(res)).contains("PAGINATION_NUMBER_INVALID");
        }
    }

    @Test
    void pageSizesBeyondIntRangeAreCappedLikeAnyLargeOne() throws Exception {
        for (String n : new String[] {"1000000", "2147483648", "99999999999999999999999"}) {
            assertThat(tags("/v2/lib/tags/tags/list?n=" + n)).as(n).hasSize(7);
        }
        assertThat(names(r.get("/v2/_catalog?n=2147483648"), "repositories")).hasSize(5);
    }

    @Test
    void tagsOfUnknownRepositoryIsNameUnknown() throws Exception {
        HttpResponse<byte[]> res = r.get("/v2/nothing/here/tags/list");
        assertThat(res.statusCode()).isEqualTo(404);
        assertThat(body(res)).contains("NAME_UNKNOWN");
    }

    @Test
    void catalogIsSortedAndPaginated() throws Exception {
        assertThat(names(r.get("/v2/_catalog"), "repositories"))
                .containsExactly("alpha", "alpha/sub", "lib/tags", "mid/dle", "zeta");
        HttpResponse<byte[]> page = r.get("/v2/_catalog?n=2");
        assertThat(names(page, "repositories")).containsExactly("alpha", "alpha/sub");
        assertThat(page.headers().firstValue("Link")).hasValue("</v2/_catalog?n=2&last=alpha%2Fsub>; rel=\"next\"");
        assertThat(names(r.get("/v2/_catalog?n=2&last=alpha%2Fsub"), "repositories")).containsExactly("lib/tags", "mid/dle");
    }

    private static List<String> tags(String path) throws Exception {
        HttpResponse<byte[]> res = r.get(path);
        assertThat(res.statusCode()).isEqualTo(200);
        return names(res, "tags");
    }

    private static List<String> names(HttpResponse<byte[]> res, String field) throws Exception {
        JsonNode root = new ObjectMapper().readTree(res.body());
        List<String> out = new ArrayList<>();
        root.get(field).forEach(n -> out.add(n.asText()));
        return out;
    }
}
