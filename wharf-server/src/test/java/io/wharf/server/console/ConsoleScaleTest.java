package io.wharf.server.console;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.model.Manifest;
import io.wharf.core.model.ManifestParser;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.model.Tag;
import io.wharf.core.spi.MetadataStore;
import io.wharf.server.oci.Fixtures;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lists page correctly at scale: 10,000 repositories and a repository with 100,000 tags (25,000 images), on the
 * embedded default (SQLite). Every page is a keyset read, so a page deep in the list holds exactly its rows.
 * How long the pages take is not judged here (timings belong in benchmarks, not tests): docs/console.md quotes
 * figures measured on such a seed.
 */
class ConsoleScaleTest {
    private static final int REPOSITORIES = 10_000;
    private static final int IMAGES = 25_000;
    private static final int TAGS_PER_IMAGE = 4;
    private static final Pattern NEXT = Pattern.compile("class=\"pager\"[^>]*><a href=\"([^\"]+)\"");

    @TempDir
    Path data;
    private ConsoleServer server;
    private String session;

    @BeforeEach
    void seed() throws Exception {
        server = new ConsoleServer(data);
        String first = server.push("big", "seed"); // the config and layer blobs the seeded images share
        MetadataStore meta = server.backend.registry().metadata();
        Instant now = Instant.now();
        meta.inTransaction("seed repositories", unit -> {
            for (int i = 0; i < REPOSITORIES; i++) {
                unit.createRepository(ConsoleServer.ACCOUNT,
                        new RepositoryName(String.format("repo-%05d", i)), now);
            }
            return null;
        });
        long big = meta.findRepository("000000000000", new RepositoryName("big")).orElseThrow().id();
        byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\"}".getBytes(UTF_8);
        meta.inTransaction("seed tags", unit -> {
            for (int i = 0; i < IMAGES; i++) {
                Manifest m = image(config, i);
                for (int t = 0; t < TAGS_PER_IMAGE; t++) {
                    unit.putManifest(big, m, new Tag("v" + i + "-" + t), now);
                }
            }
            return null;
        });
        assertThat(first).startsWith("sha256:");
        session = SessionCookie.signIn(server);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** A distinct manifest over the shared blobs (the annotation makes its digest unique). */
    private static Manifest image(byte[] config, int i) {
        String json = new String(Fixtures.manifest(config, new byte[0]), UTF_8);
        return ManifestParser.parse(Fixtures.OCI_MANIFEST, json.replace("{\"schemaVersion\":2,",
                "{\"schemaVersion\":2,\"annotations\":{\"n\":\"" + i + "\"},").getBytes(UTF_8));
    }

    private HttpResponse<String> get(String path) throws Exception {
        HttpResponse<String> r = server.send("GET", path, null, "Cookie", Cookies.SESSION + "=" + session);
        assertThat(r.statusCode()).as(path).isEqualTo(200);
        return r;
    }

    private static String next(HttpResponse<String> r) {
        Matcher m = NEXT.matcher(r.body());
        assertThat(m.find()).as("a next page link").isTrue();
        return m.group(1).replace("&amp;", "&");
    }

    @Test
    void repositoryPagesAndPrefixSearchesPageByKeysetOverTenThousandRepositories() throws Exception {
        HttpResponse<String> first = get("/console/");
        assertThat(first.body()).contains("repo-00000").contains("repo-00048");
        HttpResponse<String> second = get(next(first));
        assertThat(second.body()).contains("repo-00049").doesNotContain("repo-00048<");
        HttpResponse<String> deep = get("/console/?prefix=repo-099");
        assertThat(deep.body()).contains("repo-09900").contains("repo-09949").doesNotContain("repo-09899");
        HttpResponse<String> last = get(next(deep));
        assertThat(last.body()).contains("repo-09999").doesNotContain("class=\"pager\"");
        HttpResponse<String> backwards = get("/console/?prefix=repo-00&sort=name-desc");
        assertThat(backwards.body()).contains("repo-00999").contains("repo-00950").doesNotContain("repo-01000");
        HttpResponse<String> end = get(next(get("/console/?sort=name-desc")));
        assertThat(end.body()).contains("repo-09949").doesNotContain("repo-09950<");
    }

    @Test
    void imagePagesPageOverAHundredThousandTags() throws Exception {
        HttpResponse<String> first = get("/console/repositories/big");
        HttpResponse<String> second = get(next(first));
        assertThat(second.body()).contains("<tbody>");
        get("/console/repositories/big?filter=tagged");
        get("/console/repositories/big?filter=untagged");
    }
}
