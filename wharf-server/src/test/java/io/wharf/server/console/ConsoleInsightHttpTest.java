package io.wharf.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.model.Digest;
import io.wharf.core.spi.InsightIndex;
import io.wharf.scan.insight.InsightSettings;
import io.wharf.server.config.WharfConfig;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The layer insight pages over plain HTTP against a real Wharf whose insight job reads a pushed image with known
 * overwritten and whited-out files: the exact figures, the tree, PENDING polled by htmx, authorization as the API's
 * ({@code ecr:BatchGetImage}), bad input as a 400 page.
 */
class ConsoleInsightHttpTest {
    @TempDir
    Path data;
    private ConsoleServer server;
    private InsightImage image;
    private String session;

    @BeforeEach
    void start() throws Exception {
        server = new ConsoleServer(data, true, InsightImage.fastInsight());
        image = new InsightImage(server);
        session = SessionCookie.signIn(server);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        String[] all = new String[headers.length + 2];
        all[0] = "Cookie";
        all[1] = Cookies.SESSION + "=" + session;
        System.arraycopy(headers, 0, all, 2, headers.length);
        return server.send("GET", path, null, all);
    }

    private String ok(String path) throws Exception {
        HttpResponse<String> r = get(path);
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return r.body();
    }

    @Test
    void theImagePageLinksToItsInsightWhichShowsTheExactWaste() throws Exception {
        image.awaitRead(server);
        assertThat(ok("/console/repositories/team/app/-/images/" + image.digest)).contains(
                "href=\"" + image.insightPath() + "\">Layer insight</a>");
        String page = ok(image.insightPath());
        assertThat(page).contains("<dd id=\"wasted-bytes\">2,300 bytes (2.2 KiB)</dd>")
                .contains("<dd id=\"total-bytes\">3,350 bytes (3.3 KiB)</dd>")
                .contains("<dd id=\"efficiency\">31.3 %</dd>")
                .contains("1,050 bytes").doesNotContain("hx-trigger");
        String waste = page.substring(page.indexOf("<table id=\"waste-table\">"));
        assertThat(waste.indexOf("<code>/data/cache.bin</code>")).as("largest first")
                .isLessThan(waste.indexOf("<code>/etc/app.conf</code>"));
        assertThat(waste).contains("2,000 bytes (2.0 KiB)</td><td>removed by layer 2")
                .contains("300 bytes</td><td>replaced by layer 2");
        String base = row(page, image.baseDigest());
        assertThat(base).contains("2,300 bytes").contains("num wasted");
        String top = row(page, image.topDigest());
        assertThat(top).contains(">0 bytes<").doesNotContain("num wasted")
                .contains("href=\"" + image.treePath(image.topDigest(), null) + "\"");
    }

    /** The table row of the layer whose digest starts as {@code digest}'s short form. */
    private static String row(String page, String digest) {
        int at = page.indexOf(Format.shortDigest(digest) + "</code>");
        assertThat(at).as("a row for " + digest).isPositive();
        return page.substring(page.lastIndexOf("<tr>", at), page.indexOf("</tr>", at));
    }

    @Test
    void aLayersTreeShowsWhatItAddsModifiesAndWhitesOutOneDirectoryAtATime() throws Exception {
        image.awaitRead(server);
        String root = ok(image.treePath(image.topDigest(), null));
        assertThat(root).contains("<h1>Files of layer 2</h1>").contains(">bin/</a>").contains(">data/</a>")
                .contains(">etc/</a>");
        String dataDir = ok(image.treePath(image.topDigest(), "/data"));
        assertThat(dataDir).contains("<tr class=\"change-removed\">").contains("cache.bin")
                .contains("removed (whiteout)").contains("2,000 bytes");
        String etc = ok(image.treePath(image.topDigest(), "/etc"));
        assertThat(etc).contains("app.conf").contains("modified").contains("450 bytes");
        String baseData = ok(image.treePath(image.baseDigest(), "/data"));
        assertThat(baseData).contains("<h1>Files of layer 1</h1>").contains("<tr class=\"change-added\">")
                .contains("2,000 bytes (2.0 KiB)").contains(">wasted</span>");
        assertThat(ok(image.treePath(image.baseDigest(), "/bin"))).contains("tool").doesNotContain(">wasted</span>");
        assertThat(etc).doesNotContain(">wasted</span>");

        String first = ok(image.treePath(image.topDigest(), "/") + "&limit=1");
        assertThat(first).contains(">bin/</a>").doesNotContain(">data/</a>").contains("after=bin");
        HttpResponse<String> second = get(image.treePath(image.topDigest(), "/") + "&limit=1&after=bin",
                "HX-Target", "tree-table");
        assertThat(second.body()).as("htmx gets the rows alone").startsWith("<div id=\"tree-table\">")
                .contains(">data/</a>").doesNotContain(">bin/</a>");
    }

    @Test
    void aPendingImageIsPolledByHtmxUntilItsLayersAreRead() throws Exception {
        image.awaitRead(server);
        // a record of an older format counts as missing: asking queues the image again
        server.backend.metadata().insights().putLayerInsight(new InsightIndex.LayerInsight(
                Digest.parse(image.topDigest()), 0, InsightIndex.Status.COMPLETE, null, 0, 0, 0, 0, Instant.now()),
                List.of());
        String pending = ok(image.insightPath());
        assertThat(pending).contains("hx-trigger=\"every 2s\"").contains("hx-get=\"" + image.insightPath() + "\"")
                .contains("are being read").contains(">Reload</a>").doesNotContain("wasted-bytes");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String partial;
        do {
            assertThat(System.nanoTime()).as("read again in time").isLessThan(deadline);
            Thread.sleep(100);
            partial = get(image.insightPath(), "HX-Target", "insight").body();
        } while (partial.contains("are being read"));
        assertThat(partial).startsWith("<div id=\"insight\"").doesNotContain("<html").doesNotContain("hx-trigger")
                .contains("2,300 bytes");
    }

    @Test
    void aPendingTreeSaysSoAndOffersAReload() throws Exception {
        image.awaitRead(server);
        server.backend.metadata().insights().putLayerInsight(new InsightIndex.LayerInsight(
                Digest.parse(image.baseDigest()), 0, InsightIndex.Status.COMPLETE, null, 0, 0, 0, 0, Instant.now()),
                List.of());
        String pending = ok(image.treePath(image.topDigest(), "/etc"));
        assertThat(pending).contains("<h1>Files of layer</h1>").contains("are being read").contains(">Reload</a>")
                .doesNotContain("tree-table");
    }

    @Test
    void withInsightOffThePagesAnswer404() throws Exception {
        server.close();
        server = new ConsoleServer(data.resolve("off"), true, c -> c.withInsight(new WharfConfig.Insight(
                Duration.ofHours(1), new InsightSettings(false, 1L << 30, 1000, 1000, 100, 100, 1))));
        session = SessionCookie.signIn(server);
        String digest = server.push("team/app", "v1");
        HttpResponse<String> r = get("/console/repositories/team/app/-/images/" + digest + "/insight");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).contains("insight.enabled: false");
    }

    @Test
    void theInsightPagesAreAuthorizedAsPullingTheImageIs() throws Exception {
        image.awaitRead(server);
        String[] viewer = server.user("viewer", """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow",
                 "Action":["ecr:DescribeRepositories","ecr:DescribeImages"],"Resource":"*"}]}""");
        ConsoleClient client = ConsoleClient.signIn(server, viewer[0], viewer[1]);
        for (String path : List.of(image.insightPath(), image.treePath(image.topDigest(), null))) {
            HttpResponse<String> r = client.get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(403);
            assertThat(r.body()).contains("ecr:BatchGetImage").doesNotContain("2,300");
        }
        String[] puller = server.user("puller", """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecr:BatchGetImage",
                 "Resource":"arn:aws:ecr:us-east-1:000000000000:repository/team/app"}]}""");
        HttpResponse<String> allowed = ConsoleClient.signIn(server, puller[0], puller[1]).get(image.insightPath());
        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(allowed.body()).contains("2,300 bytes");
        assertThat(server.send("GET", image.insightPath(), null).headers().firstValue("Location"))
                .as("signed out: sign in first").contains("/console/sign-in");
    }

    @Test
    void badDigestLayerPathOrPagingIsA400PageAndAMissingImageA404() throws Exception {
        image.awaitRead(server);
        String insight = image.insightPath();
        String tree = insight + "/tree";
        for (String path : List.of("/console/repositories/team/app/-/images/sha256:nothex/insight",
                tree, tree + "?layer=", tree + "?layer=md5:abc", tree + "?layer=" + Digest.sha256Of(new byte[1]),
                image.treePath(image.topDigest(), "/") + "&limit=abc",
                image.treePath(image.topDigest(), "/") + "&limit=0",
                image.treePath(image.topDigest(), "/") + "&limit=100000",
                image.treePath(image.topDigest(), "../etc"))) {
            HttpResponse<String> r = get(path);
            assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(400);
            assertThat(r.body()).contains("<h1>Bad request</h1>").contains("class=\"error\"");
        }
        String unknown = "/console/repositories/team/app/-/images/" + Digest.sha256Of(new byte[2]) + "/insight";
        assertThat(get(unknown).statusCode()).isEqualTo(404);
        assertThat(get("/console/repositories/no/such/-/images/" + image.digest + "/insight").statusCode())
                .isEqualTo(404);
        assertThat(get("/console/repositories/team/app/-/images/" + image.digest + "/insight/other").statusCode())
                .isEqualTo(404);
    }
}
