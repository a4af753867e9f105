package io.wharf.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.gallery.CatalogData;
import io.wharf.core.model.Digest;
import io.wharf.core.spi.InsightIndex;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The gallery, anonymously, and layer insight, signed in, in headless Chromium against a real Wharf: search, a
 * public repository and its pull command, a private one nowhere; an image with known waste, its figures and its
 * tree; a PENDING page that htmx refreshes; headings, labels and the keyboard.
 */
class GalleryInsightBrowserTest {
    @TempDir
    Path data;
    private ConsoleServer server;
    private Browser browser;

    @BeforeEach
    void start() throws Exception {
        server = new ConsoleServer(data, true, InsightImage.fastInsight());
        browser = new Browser();
    }

    @AfterEach
    void stop() throws Exception {
        try {
            browser.close();
        } finally {
            server.close();
        }
    }

    private String h1() {
        return browser.driver.findElement(By.tagName("h1")).getText();
    }

    private List<String> galleryNames() {
        return browser.driver.findElements(By.cssSelector("#gallery-results .card h2 a")).stream()
                .map(WebElement::getText).toList();
    }

    private WebDriverWait swapped() {
        WebDriverWait wait = new WebDriverWait(browser.driver, Duration.ofSeconds(10));
        wait.ignoring(StaleElementReferenceException.class);
        return wait;
    }

    private void seedGallery() throws Exception {
        server.push("web/nginx", "1.27");
        server.push("web/nginx", "latest");
        server.push("tools/busybox", "1.36");
        server.push("secret/internal", "v1");
        server.makePublic("web/nginx", CatalogData.of("A fast web server and reverse proxy",
                "nginx serves static files and proxies HTTP.\n\nThis text is shown as text: <em>no HTML</em>.",
                "docker run -p 8080:80 web/nginx", List.of("ARM 64", "x86-64"), List.of("Linux"),
                CatalogData.Logo.of(logo())));
        server.makePublic("tools/busybox", CatalogData.of("Many small Unix tools in one binary", null, null,
                List.of("x86-64"), List.of("Linux"), null));
    }

    /** A 48 px PNG logo. */
    private static byte[] logo() throws Exception {
        BufferedImage img = new BufferedImage(48, 48, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(0x0b5cad));
        g.fillRect(0, 0, 48, 48);
        g.setColor(Color.WHITE);
        g.fillRect(12, 12, 24, 24);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    @Test
    void anAnonymousVisitorSearchesTheGalleryAndFindsThePullCommandButNoPrivateRepository() throws Exception {
        seedGallery();
        browser.driver.get(server.base() + "/console/sign-in");
        browser.navigate(By.linkText("browse the gallery"));
        assertThat(h1()).isEqualTo("Gallery");
        assertThat(galleryNames()).containsExactly("tools/busybox", "web/nginx");
        assertThat(browser.driver.findElement(By.id("gallery-results")).getText()).doesNotContain("secret");
        assertThat(browser.driver.manage().getCookieNamed(Cookies.SESSION)).as("no session").isNull();
        assertAccessible("gallery");
        browser.screenshot("gallery");

        JavascriptExecutor js = (JavascriptExecutor) browser.driver;
        js.executeScript("window.notReloaded = true");
        browser.driver.findElement(By.id("q")).sendKeys("proxy");
        swapped().until(d -> galleryNames().equals(List.of("web/nginx")));
        assertThat(js.executeScript("return window.notReloaded === true")).as("results swapped by htmx").isEqualTo(true);
        assertThat(browser.driver.getCurrentUrl()).contains("q=proxy");

        browser.navigate(By.linkText("web/nginx"));
        assertThat(h1()).isEqualTo("web/nginx");
        String port = String.valueOf(server.app.server().port());
        assertThat(browser.driver.findElements(By.cssSelector("#tag-table code.pull")).stream().map(WebElement::getText))
                .containsExactly("docker pull 127.0.0.1:" + port + "/web/nginx:latest",
                        "docker pull 127.0.0.1:" + port + "/web/nginx:1.27");
        assertThat(browser.driver.findElement(By.cssSelector(".prose")).getText())
                .contains("<em>no HTML</em>").as("shown as text");
        assertThat(browser.driver.findElements(By.cssSelector(".prose em"))).isEmpty();
        assertThat((Boolean) js.executeScript("const i = document.querySelector('h1 img.logo');"
                + " return i !== null && i.complete && i.naturalWidth === 48")).as("the logo loads").isTrue();
        assertAccessible("gallery repository");
        browser.screenshot("gallery-repository");

        browser.driver.get(server.base() + "/console/gallery/secret/internal");
        assertThat(h1()).isEqualTo("Not found");
        browser.driver.get(server.base() + "/console/gallery?q=secret");
        assertThat(galleryNames()).isEmpty();
        assertThat(browser.driver.manage().getCookieNamed(Cookies.SESSION)).isNull();
    }

    @Test
    void theKeyboardReachesTheSearchAndTheRepositories() throws Exception {
        seedGallery();
        browser.driver.get(server.base() + "/console/gallery");
        // from the top of the page, as a keyboard user starts (keys go to whatever has the focus)
        ((JavascriptExecutor) browser.driver).executeScript("document.activeElement.blur()");
        Actions keys = new Actions(browser.driver);
        List<String> focused = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            keys.sendKeys(Keys.TAB).perform();
            WebElement active = browser.driver.switchTo().activeElement();
            focused.add(active.getTagName() + "#" + active.getAttribute("id") + ":" + active.getText());
        }
        assertThat(focused).as("tab order").containsSubsequence("a#:Wharf", "input#q:", "button#:Search",
                "a#:tools/busybox");
        WebElement link = browser.driver.switchTo().activeElement();
        while (!link.getText().equals("tools/busybox")) {
            keys.sendKeys(Keys.SHIFT, Keys.TAB).perform();
            link = browser.driver.switchTo().activeElement();
        }
        keys.sendKeys(Keys.ENTER).perform();
        browser.waitUntilGone(link);
        assertThat(h1()).isEqualTo("tools/busybox");
    }

    private void signIn() {
        browser.driver.get(server.base() + "/console/sign-in");
        browser.driver.findElement(By.id("access-key-id")).sendKeys(ConsoleServer.ROOT_ID);
        browser.driver.findElement(By.id("secret-access-key")).sendKeys(ConsoleServer.ROOT_SECRET);
        browser.navigate(By.cssSelector("form.sign-in button[type=submit]"));
    }

    @Test
    void layerInsightShowsTheExactWasteAndTheTreeOfEachLayer() throws Exception {
        InsightImage image = new InsightImage(server);
        image.awaitRead(server);
        signIn();
        browser.navigate(By.linkText("Gallery"));
        assertThat(h1()).as("the gallery is in the navigation").isEqualTo("Gallery");
        browser.driver.get(server.base() + "/console/repositories/team/app/-/images/" + image.digest);
        browser.navigate(By.linkText("Layer insight"));
        assertThat(h1()).isEqualTo("Layer insight");
        assertThat(browser.driver.findElement(By.id("wasted-bytes")).getText()).isEqualTo("2,300 bytes (2.2 KiB)");
        assertThat(browser.driver.findElement(By.id("total-bytes")).getText()).isEqualTo("3,350 bytes (3.3 KiB)");
        assertThat(browser.driver.findElement(By.id("efficiency")).getText()).isEqualTo("31.3 %");
        List<WebElement> rows = browser.driver.findElements(By.cssSelector("#layer-table tbody tr"));
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).findElement(By.cssSelector("td.wasted")).getText()).isEqualTo("2,300 bytes (2.2 KiB)");
        assertThat(cells(rows.get(1))).containsSubsequence("1", "1", "1", "0 bytes"); // added, modified, removed, wasted
        List<WebElement> waste = browser.driver.findElements(By.cssSelector("#waste-table tbody tr"));
        assertThat(waste.stream().map(GalleryInsightBrowserTest::cells)).containsExactly(
                List.of("/data/cache.bin", "layer 1", "2,000 bytes (2.0 KiB)", "removed by layer 2"),
                List.of("/etc/app.conf", "layer 1", "300 bytes", "replaced by layer 2"));
        assertAccessible("insight");
        browser.screenshot("insight");

        browser.navigate(By.partialLinkText(Format.shortDigest(image.topDigest())));
        assertThat(h1()).isEqualTo("Files of layer 2");
        browser.navigate(By.linkText("data/"));
        WebElement removed = browser.driver.findElement(By.cssSelector("#tree-table tr.change-removed"));
        assertThat(cells(removed)).containsExactly("cache.bin", "file", "removed (whiteout)", "2,000 bytes (2.0 KiB)",
                "");
        assertAccessible("tree");
        browser.screenshot("layer-tree");
        browser.navigate(By.linkText("/"));
        browser.navigate(By.linkText("etc/"));
        assertThat(cells(browser.driver.findElement(By.cssSelector("#tree-table tbody tr"))))
                .containsExactly("app.conf", "file", "modified", "450 bytes", "");

        browser.navigate(By.linkText("layer insight"));
        browser.navigate(By.partialLinkText(Format.shortDigest(image.baseDigest())));
        assertThat(h1()).isEqualTo("Files of layer 1");
        browser.navigate(By.linkText("data/"));
        assertThat(cells(browser.driver.findElement(By.cssSelector("#tree-table tbody tr"))))
                .as("written here, whited out above").containsExactly("cache.bin", "file", "added",
                        "2,000 bytes (2.0 KiB)", "wasted");
    }

    @Test
    void aPendingImageIsRefreshedInPlaceWhenItsLayersAreRead() throws Exception {
        InsightImage image = new InsightImage(server);
        image.awaitRead(server);
        server.backend.metadata().insights().putLayerInsight(new InsightIndex.LayerInsight(
                Digest.parse(image.topDigest()), 0, InsightIndex.Status.COMPLETE, null, 0, 0, 0, 0, Instant.now()),
                List.of()); // a record of an older format: asking queues the image again
        signIn();
        browser.driver.get(server.base() + image.insightPath());
        assertThat(browser.driver.findElement(By.cssSelector("#insight .notice")).getText()).contains("being read");
        ((JavascriptExecutor) browser.driver).executeScript("window.notReloaded = true");
        new WebDriverWait(browser.driver, Duration.ofSeconds(30)).ignoring(StaleElementReferenceException.class)
                .until(d -> !d.findElements(By.id("wasted-bytes")).isEmpty());
        assertThat(browser.driver.findElement(By.id("wasted-bytes")).getText()).isEqualTo("2,300 bytes (2.2 KiB)");
        assertThat(((JavascriptExecutor) browser.driver).executeScript("return window.notReloaded === true"))
                .as("htmx swapped the figures in").isEqualTo(true);
    }

    private static List<String> cells(WebElement row) {
        return row.findElements(By.tagName("td")).stream().map(WebElement::getText).toList();
    }

    /** One h1; every visible input has one label; the page says its language; images say what they are. */
    private void assertAccessible(String page) {
        assertThat(browser.driver.findElements(By.tagName("h1"))).as(page + ": h1").hasSize(1);
        assertThat(browser.driver.findElement(By.tagName("html")).getAttribute("lang")).isEqualTo("en");
        for (WebElement input : browser.driver.findElements(By.cssSelector("input:not([type=hidden]), select"))) {
            String id = input.getAttribute("id");
            assertThat(id).as(page + ": an input without an id").isNotBlank();
            assertThat(browser.driver.findElements(By.cssSelector("label[for='" + id + "']")))
                    .as(page + ": label of #" + id).hasSize(1);
        }
        for (WebElement img : browser.driver.findElements(By.tagName("img"))) {
            assertThat(img.getAttribute("alt")).as(page + ": alt of an image").isNotNull();
        }
        for (WebElement table : browser.driver.findElements(By.tagName("table"))) {
            assertThat(table.findElements(By.tagName("caption"))).as(page + ": a table's caption").hasSize(1);
        }
    }
}
