package io.wharf.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.gallery.CatalogData;
import io.wharf.server.config.WharfConfig;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gallery pages over plain HTTP against a real Wharf, without signing in: no session for an anonymous visitor,
 * only public repositories and their data, a private repository as unknown as a missing one, catalog texts escaped,
 * keyset paging of repositories and tags, bad input as a 400 page.
 */
class ConsoleGalleryHttpTest {
    @TempDir
    Path data;
    private ConsoleServer server;
    private String webDigest;

    @BeforeEach
    void start() throws Exception {
        server = new ConsoleServer(data, true, c -> c.withGallery(new WharfConfig.Gallery(2, 5))
                .withConsole(new WharfConfig.Console(true, Duration.ofHours(1), Duration.ofHours(1), 2)));
        webDigest = server.push("web/nginx", "1.27");
        server.push("web/nginx", "latest");
        server.push("tools/busybox", "1.36");
        server.push("secret/internal", "v1");
        server.makePublic("web/nginx", CatalogData.of("A web server <b>bold</b>", "About <script>alert(1)</script>",
                "docker run it", List.of("ARM 64", "x86-64"), List.of("Linux"), null));
        server.makePublic("tools/busybox", CatalogData.of("Small tools", null, null, List.of("x86-64"),
                List.of("Linux"), null));
        // private, however descriptive its catalog data
        server.backend.registry().gallery().putCatalogData(new io.wharf.core.service.RepoKey(ConsoleServer.ACCOUNT,
                io.wharf.core.model.RepositoryName.parse("secret/internal")), CatalogData.of("A web server, hidden",
                null, null, List.of(), List.of(), null));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return server.send("GET", path, null);
    }

    @Test
    void anAnonymousVisitorSeesOnlyPublicRepositoriesAndGetsNoCookie() throws Exception {
        HttpResponse<String> r = get("/console/gallery");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().allValues("Set-Cookie")).as("no session, no cookie").isEmpty();
        assertThat(r.headers().firstValue("Content-Security-Policy")).isPresent();
        assertThat(r.body()).contains("tools/busybox").contains("web/nginx")
                .contains("docker pull 127.0.0.1:" + server.app.server().port() + "/web/nginx:")
                .doesNotContain("secret").doesNotContain("hidden")
                .contains("A web server &lt;b&gt;bold&lt;/b&gt;").doesNotContain("<b>bold</b>");

        HttpResponse<String> search = get("/console/gallery?q=web+server");
        assertThat(search.body()).contains("web/nginx").doesNotContain("tools/busybox").doesNotContain("secret");
        assertThat(get("/console/gallery?q=hidden").body()).contains("No public repositories match");
        assertThat(get("/console/gallery?q=arm").body()).contains("web/nginx").doesNotContain("tools/busybox");
    }

    @Test
    void aPublicRepositorysPageShowsItsTextsEscapedItsTagsAndPullCommands() throws Exception {
        HttpResponse<String> r = get("/console/gallery/web/nginx");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().allValues("Set-Cookie")).isEmpty();
        assertThat(r.body()).contains("<h1>web/nginx</h1>")
                .contains("About &lt;script&gt;alert(1)&lt;/script&gt;").doesNotContain("<script>alert")
                .contains("docker run it")
                .contains("docker pull 127.0.0.1:" + server.app.server().port() + "/web/nginx:latest")
                .contains("docker pull 127.0.0.1:" + server.app.server().port() + "/web/nginx:1.27")
                .contains(webDigest.substring(0, 19));
        assertThat(r.body().indexOf(":latest")).as("most recently written first").isLessThan(r.body().indexOf(":1.27"));
    }

    @Test
    void aPrivateRepositorysNameAnswersAsAMissingOne() throws Exception {
        HttpResponse<String> hidden = get("/console/gallery/secret/internal");
        HttpResponse<String> missing = get("/console/gallery/no/such");
        assertThat(hidden.statusCode()).isEqualTo(404);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(hidden.body()).doesNotContain("hidden").doesNotContain("v1");
        assertThat(hidden.body().replace("secret/internal", "no/such")).as("nothing tells the two apart")
                .isEqualTo(missing.body());
        assertThat(hidden.headers().allValues("Set-Cookie")).isEmpty();
        // a signed-in root sees the same public listing: the gallery never shows private data
        String session = SessionCookie.signIn(server);
        HttpResponse<String> signedIn = server.send("GET", "/console/gallery/secret/internal", null,
                "Cookie", Cookies.SESSION + "=" + session);
        assertThat(signedIn.statusCode()).isEqualTo(404);
        assertThat(server.send("GET", "/console/gallery", null, "Cookie", Cookies.SESSION + "=" + session).body())
                .doesNotContain("secret").contains("Sign out");
    }

    @Test
    void repositoriesAndTagsArePagedByKeyset() throws Exception {
        server.push("web/nginx", "stable");
        String first = get("/console/gallery").body();
        assertThat(first).contains("tools/busybox").contains("web/nginx");
        server.push("zzz/last", "v1");
        server.makePublic("zzz/last", CatalogData.EMPTY);
        String page1 = get("/console/gallery").body();
        String next = page1.substring(page1.indexOf("href=\"/console/gallery?q=&amp;page-token=") + 6);
        next = next.substring(0, next.indexOf('"')).replace("&amp;", "&");
        String page2 = get(next).body();
        assertThat(page2).contains("zzz/last").doesNotContain("tools/busybox");

        String tags1 = get("/console/gallery/web/nginx").body();
        assertThat(tags1).contains("/web/nginx:stable").contains("/web/nginx:latest").doesNotContain("/web/nginx:1.27");
        String tagsNext = tags1.substring(tags1.indexOf("href=\"/console/gallery/web/nginx?page-token=") + 6);
        tagsNext = tagsNext.substring(0, tagsNext.indexOf('"'));
        HttpResponse<String> tags2 = server.send("GET", tagsNext, null, "HX-Target", "tag-table");
        assertThat(tags2.body()).as("htmx gets the rows alone").startsWith("<div id=\"tag-table\">")
                .doesNotContain("<html").contains("/web/nginx:1.27").doesNotContain(":stable");
    }

    @Test
    void badInputIsA400PageNeverA500() throws Exception {
        for (String path : List.of("/console/gallery?page-token=!!!", "/console/gallery/web/nginx?page-token=xyz",
                "/console/gallery?q=a+b+c+d+e+f+g+h+i", "/console/gallery/Not_A_Name",
                "/console/gallery?q=" + "x".repeat(257))) {
            HttpResponse<String> r = get(path);
            assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(400);
            assertThat(r.body()).contains("<h1>Bad request</h1>");
            assertThat(r.headers().allValues("Set-Cookie")).isEmpty();
        }
        assertThat(server.send("POST", "/console/gallery", new byte[0]).statusCode()).isEqualTo(405);
    }
}
