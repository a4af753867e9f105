package io.wharf.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The console in headless Chromium against a real Wharf: sign in, browse, delete, sign out. */
class ConsoleBrowserTest {
    @TempDir
    Path data;
    private ConsoleServer server;
    private Browser browser;

    @BeforeEach
    void start() throws Exception {
        server = new ConsoleServer(data);
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

    private void signIn(String id, String secret) {
        browser.driver.get(server.base() + "/");
        assertThat(browser.driver.getCurrentUrl()).endsWith("/console/sign-in");
        browser.driver.findElement(By.id("access-key-id")).sendKeys(id);
        browser.driver.findElement(By.id("secret-access-key")).sendKeys(secret);
        browser.navigate(By.cssSelector("form.sign-in button[type=submit]"));
    }

    private List<String> repositoryNames() {
        return browser.driver.findElements(By.cssSelector("#repository-table tbody td:first-child a")).stream()
                .map(WebElement::getText).toList();
    }

    @Test
    void signInBrowseDeleteWithConfirmationAndSignOut() throws Exception {
        String digest = server.push("team/app", "v1");
        server.push("team/app", "v2");
        server.push("tools/base", "latest");

        signIn(ConsoleServer.ROOT_ID, ConsoleServer.ROOT_SECRET);
        assertThat(browser.driver.findElement(By.tagName("h1")).getText()).isEqualTo("Repositories");
        assertThat(repositoryNames()).containsExactly("team/app", "tools/base");
        browser.screenshot("repositories");
        searchAsYouType();

        browser.navigate(By.linkText("team/app"));
        assertThat(browser.driver.findElement(By.tagName("h1")).getText()).isEqualTo("team/app");
        assertThat(browser.driver.findElements(By.cssSelector("#image-table tbody tr"))).hasSize(2);
        browser.screenshot("images");

        browser.navigate(By.partialLinkText(digest.substring(0, 19)));
        assertThat(browser.driver.findElement(By.tagName("h1")).getText()).contains(digest);
        assertThat(browser.driver.findElement(By.cssSelector(".pulls")).getText())
                .contains("docker pull 127.0.0.1:" + server.app.server().port() + "/team/app@" + digest)
                .contains("/team/app:v1");
        assertThat(browser.driver.findElements(By.cssSelector("pre.json")).getFirst().getText())
                .contains("\"schemaVersion\" : 2");
        browser.screenshot("image");

        browser.navigate(By.linkText("Delete this image…"));
        assertThat(browser.driver.findElement(By.tagName("h1")).getText()).isEqualTo("Delete this image?");
        browser.navigate(By.cssSelector("button.danger"));
        assertThat(browser.driver.findElement(By.cssSelector(".notice[role=status]")).getText()).contains(digest);
        assertThat(browser.driver.findElements(By.cssSelector("#image-table tbody tr"))).hasSize(1);
        assertThat(server.send("GET", "/v2/team/app/manifests/" + digest, null, "Authorization",
                server.rootToken()).statusCode()).isEqualTo(404);

        browser.navigate(By.cssSelector("form.sign-out button"));
        assertThat(browser.driver.getCurrentUrl()).endsWith("/console/sign-in");
        browser.driver.get(server.base() + "/console/");
        assertThat(browser.driver.getCurrentUrl()).as("signed out: the console asks to sign in again")
                .endsWith("/console/sign-in");
    }

    /** Waits for htmx's swap: the rows read meanwhile may be the ones being replaced. */
    private WebDriverWait rowsSwapped() {
        WebDriverWait wait = new WebDriverWait(browser.driver, Duration.ofSeconds(10));
        wait.ignoring(StaleElementReferenceException.class);
        return wait;
    }

    /** htmx (under the page's CSP) swaps only the rows as a prefix is typed, and pushes the search into the URL. */
    private void searchAsYouType() {
        JavascriptExecutor js = (JavascriptExecutor) browser.driver;
        js.executeScript("window.notReloaded = true");
        browser.driver.findElement(By.id("prefix")).sendKeys("tools");
        rowsSwapped().until(d -> repositoryNames().equals(List.of("tools/base")));
        assertThat(js.executeScript("return window.notReloaded === true")).as("rows swapped, page kept").isEqualTo(true);
        assertThat(browser.driver.getCurrentUrl()).contains("prefix=tools");
        assertThat(js.executeScript("return window.localStorage.getItem('htmx-history-cache')"))
                .as("no page copy (with its CSRF token) kept in the browser").isNull();
        new Select(browser.driver.findElement(By.id("sort"))).selectByValue("name-desc");
        browser.driver.findElement(By.id("prefix")).clear();
        browser.driver.findElement(By.cssSelector("form.search button[type=submit]")).click(); // htmx: only the rows change
        rowsSwapped().until(d -> repositoryNames().equals(List.of("tools/base", "team/app")));
        browser.driver.get(server.base() + "/console/");
    }

    @Test
    void aUserWithANarrowPolicySeesOnlyWhatItAllowsAndGets403Elsewhere() throws Exception {
        String digest = server.push("team/app", "v1");
        String other = server.push("tools/base", "latest");
        String[] key = server.user("ana", """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow",
                 "Action":["ecr:DescribeRepositories","ecr:DescribeImages"],
                 "Resource":"arn:aws:ecr:us-east-1:000000000000:repository/team/*"}]}""");

        signIn(key[0], key[1]);
        assertThat(repositoryNames()).containsExactly("team/app");
        assertThat(browser.driver.findElement(By.cssSelector(".who")).getText()).endsWith(":user/ana");

        browser.navigate(By.linkText("team/app"));
        assertThat(browser.driver.findElements(By.cssSelector("#image-table tbody tr"))).hasSize(1);

        browser.driver.get(server.base() + "/console/repositories/team/app/-/images/" + digest);
        assertThat(browser.driver.findElement(By.tagName("h1")).getText()).isEqualTo("Not allowed");
        assertThat(browser.driver.findElement(By.cssSelector(".error")).getText()).contains("ecr:BatchGetImage");
        browser.screenshot("forbidden");

        browser.driver.get(server.base() + "/console/repositories/tools/base");
        assertThat(browser.driver.findElement(By.tagName("h1")).getText()).isEqualTo("Not allowed");
        browser.driver.get(server.base() + "/console/repositories/tools/base/-/images/" + other + "/delete");
        assertThat(browser.driver.findElement(By.tagName("h1")).getText()).isEqualTo("Not allowed");
    }

    @Test
    void aFormWhoseCsrfTokenWasTamperedWithIsRefused() throws Exception {
        String digest = server.push("app", "v1");
        signIn(ConsoleServer.ROOT_ID, ConsoleServer.ROOT_SECRET);
        browser.driver.get(server.base() + "/console/repositories/app/-/images/" + digest + "/delete");
        ((JavascriptExecutor) browser.driver).executeScript(
                "document.querySelector('main form input[name=csrf]').remove()");
        browser.navigate(By.cssSelector("button.danger"));
        assertThat(browser.driver.findElement(By.tagName("h1")).getText()).isEqualTo("Not allowed");
        assertThat(browser.driver.findElement(By.cssSelector(".error")).getText()).contains("CSRF token");
        assertThat(server.send("GET", "/v2/app/manifests/" + digest, null, "Authorization",
                server.rootToken()).statusCode()).isEqualTo(200);
    }

    @Test
    void keyboardReachesTheSignInFormAndEveryPageHasLabelsAndOneHeading() throws Exception {
        String digest = server.push("app", "v1");
        browser.driver.get(server.base() + "/console/sign-in");
        browser.screenshot("sign-in");
        assertAccessible("sign-in");
        List<String> focused = new ArrayList<>();
        WebElement body = browser.driver.findElement(By.tagName("body"));
        body.click();
        for (int i = 0; i < 8; i++) {
            browser.driver.switchTo().activeElement().sendKeys(Keys.TAB);
            WebElement active = browser.driver.switchTo().activeElement();
            focused.add(active.getTagName() + "#" + active.getAttribute("id") + ":" + active.getText());
        }
        assertThat(focused).as("tab order").containsSubsequence("input#access-key-id:", "input#secret-access-key:",
                "input#registry-password:", "button#:Sign in");

        browser.driver.findElement(By.id("access-key-id")).sendKeys(ConsoleServer.ROOT_ID);
        WebElement secret = browser.driver.findElement(By.id("secret-access-key"));
        secret.sendKeys(ConsoleServer.ROOT_SECRET, Keys.ENTER);
        browser.waitUntilGone(secret);
        assertThat(browser.driver.findElement(By.tagName("h1")).getText()).isEqualTo("Repositories");
        for (String path : List.of("/console/", "/console/repositories/app",
                "/console/repositories/app/-/images/" + digest,
                "/console/repositories/app/-/images/" + digest + "/delete", "/console/repositories/nope")) {
            browser.driver.get(server.base() + path);
            assertAccessible(path);
        }
    }

    /** One h1; every visible input and select has a label naming it; the page says its language. */
    private void assertAccessible(String page) {
        assertThat(browser.driver.findElements(By.tagName("h1"))).as(page + ": h1").hasSize(1);
        assertThat(browser.driver.findElement(By.tagName("html")).getAttribute("lang")).isEqualTo("en");
        for (WebElement input : browser.driver.findElements(By.cssSelector("input:not([type=hidden]), select"))) {
            String id = input.getAttribute("id");
            assertThat(id).as(page + ": an input without an id").isNotBlank();
            assertThat(browser.driver.findElements(By.cssSelector("label[for='" + id + "']")))
                    .as(page + ": label of #" + id).hasSize(1);
        }
    }
}
