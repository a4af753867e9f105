package io.wharf.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

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
        browser.driver.findElement(By.cssSelector("form.sign-in button[type=submit]")).click();
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

        browser.driver.findElement(By.linkText("team/app")).click();
        assertThat(browser.driver.findElement(By.tagName("h1")).getText()).isEqualTo("team/app");
        assertThat(browser.driver.findElements(By.cssSelector("#image-table tbody tr"))).hasSize(2);
        browser.screenshot("images");

        browser.driver.findElement(By.partialLinkText(digest.substring(0, 19))).click();
        assertThat(browser.driver.findElement(By.tagName("h1")).getText()).contains(digest);
        assertThat(browser.driver.findElement(By.cssSelector(".pulls")).getText())
                .contains("docker pull 127.0.0.1:" + server.app.server().port() + "/team/app@" + digest)
                .contains("/team/app:v1");
        assertThat(browser.driver.findElements(By.cssSelector("pre.json")).getFirst().getText())
                .contains("\"schemaVersion\" : 2");
        browser.screenshot("image");

        browser.driver.findElement(By.linkText("Delete this image…")).click();
        assertThat(browser.driver.findElement(By.tagName("h1")).getText()).isEqualTo("Delete this image?");
        browser.driver.findElement(By.cssSelector("button.danger")).click();
        assertThat(browser.driver.findElement(By.cssSelector(".notice[role=status]")).getText()).contains(digest);
        assertThat(browser.driver.findElements(By.cssSelector("#image-table tbody tr"))).hasSize(1);
        assertThat(server.send("GET", "/v2/team/app/manifests/" + digest, null, "Authorization",
                server.rootToken()).statusCode()).isEqualTo(404);

        browser.driver.findElement(By.cssSelector("form.sign-out button")).click();
        assertThat(browser.driver.getCurrentUrl()).endsWith("/console/sign-in");
        browser.driver.get(server.base() + "/console/");
        assertThat(browser.driver.getCurrentUrl()).as("signed out: the console asks to sign in again")
                .endsWith("/console/sign-in");
    }
}
