package io.wharf.server.gallery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /wharf/v1/gallery} without sign-in, over real HTTP; the server's pages hold 2 entries with 3 tags each. */
class GalleryApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;
    private PublicServer server;

    @BeforeEach
    void start() throws Exception {
        server = new PublicServer(data, true);
        server.ecrPublic("CreateRepository", """
                {"repositoryName":"web/nginx","catalogData":{"description":"A web server","architectures":["ARM 64"],
                 "operatingSystems":["Linux"],"aboutText":"Serves static files"}}""");
        server.ecrPublic("CreateRepository", """
                {"repositoryName":"db/postgres","catalogData":{"description":"A database","architectures":["x86-64"],
                 "operatingSystems":["Linux"]}}""");
        server.ecrPublic("CreateRepository", "{\"repositoryName\":\"tools/busybox\"}");
        server.push("secret/app", "v1");
        for (String tag : new String[] {"1.0", "1.1", "1.2", "latest"}) {
            server.push("web/nginx", tag);
        }
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private JsonNode gallery(String query) throws Exception {
        HttpResponse<String> r = server.get("/wharf/v1/gallery" + query);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static List<String> names(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.get("repositories").forEach(r -> out.add(r.get("repositoryName").asText()));
        return out;
    }

    @Test
    void pagesThroughPublicRepositoriesInNameOrderWithoutSignIn() throws Exception {
        JsonNode first = gallery("");
        assertThat(names(first)).containsExactly("db/postgres", "tools/busybox");
        JsonNode second = gallery("?page-token=" + first.get("nextPageToken").asText());
        assertThat(names(second)).containsExactly("web/nginx");
        assertThat(second.has("nextPageToken")).isFalse();

        JsonNode nginx = second.at("/repositories/0");
        String host = "127.0.0.1:" + server.port();
        assertThat(nginx.get("repositoryUri").asText()).isEqualTo(host + "/web/nginx");
        assertThat(nginx.at("/catalogData/description").asText()).isEqualTo("A web server");
        assertThat(nginx.get("recentTags")).hasSize(3);
        JsonNode latest = nginx.at("/recentTags/0");
        assertThat(latest.get("tag").asText()).isEqualTo("latest");
        assertThat(latest.get("digest").asText()).startsWith("sha256:");
        assertThat(latest.get("pullCommand").asText()).isEqualTo("docker pull " + host + "/web/nginx:latest");
    }

    @Test
    void searchesNamesAndCatalogData() throws Exception {
        assertThat(names(gallery("?q=web"))).containsExactly("web/nginx");
        assertThat(names(gallery("?q=" + URLEncoder.encode("static ARM", StandardCharsets.UTF_8)))).containsExactly("web/nginx");
        assertThat(names(gallery("?q=x86-64"))).containsExactly("db/postgres");
        assertThat(names(gallery("?q=linux"))).containsExactly("db/postgres", "web/nginx");
        assertThat(names(gallery("?q=secret"))).as("private repositories never show").isEmpty();
        assertThat(names(gallery("?q=busybox"))).containsExactly("tools/busybox");
    }

    @Test
    void badInputIsA400InWharfsShape() throws Exception {
        HttpResponse<String> badToken = server.get("/wharf/v1/gallery?page-token=%25%25");
        assertThat(badToken.statusCode()).isEqualTo(400);
        assertThat(badToken.body()).contains("\"code\":\"INVALID_PARAMETER\"");
        assertThat(server.get("/wharf/v1/gallery?q=a%20b%20c%20d%20e%20f%20g%20h%20i").statusCode()).isEqualTo(400);
        assertThat(server.send("POST", "/wharf/v1/gallery", null, null, null).statusCode()).isEqualTo(405);
        assertThat(server.get("/wharf/v1/gallery/logo/secret/app").statusCode()).isEqualTo(404);
        assertThat(server.get("/wharf/v1/gallery/logo/Bad%20Name").statusCode()).isEqualTo(400);
    }
}
