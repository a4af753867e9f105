package io.wharf.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.lifecycle.LifecyclePolicy;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.service.RepoKey;
import io.wharf.core.spi.DocumentKind;
import io.wharf.core.replication.ReplicationConfiguration;
import io.wharf.core.replication.ReplicationService;
import io.wharf.core.replication.ReplicationSettings;
import io.wharf.core.spi.PullThroughIndex;
import io.wharf.core.template.AppliedFor;
import io.wharf.core.template.CreationTemplate;
import io.wharf.scan.service.ScanService;
import io.wharf.scan.service.ScanSettings;
import io.wharf.scan.service.ScanningConfiguration;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** The administration pages in headless Chromium against a real Wharf: policy editors, preview, users and keys. */
class AdminBrowserTest {
    private static final String KEEP_TWO = """
            {"rules":[{"rulePriority":7,"description":"keep the two newest",
             "selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":2},
             "action":{"type":"expire"}}]}""";

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

    private static void signIn(Browser b, ConsoleServer server, String id, String secret) {
        b.driver.get(server.base() + "/console/sign-in");
        b.driver.findElement(By.id("access-key-id")).sendKeys(id);
        b.driver.findElement(By.id("secret-access-key")).sendKeys(secret);
        go(b, b.driver.findElement(By.cssSelector("form.sign-in button[type=submit]")));
    }

    /** Clicks what navigates (a link, a form's button) and waits until the next page replaced this one. */
    private static void go(Browser b, WebElement target) {
        target.click();
        b.waitUntilGone(target);
    }

    private void go(WebElement target) {
        go(browser, target);
    }

    private WebElement find(String css) {
        return browser.driver.findElement(By.cssSelector(css));
    }

    private String h1() {
        return browser.driver.findElement(By.tagName("h1")).getText();
    }

    private void replaceText(String css, String text) {
        WebElement area = find(css);
        area.clear();
        area.sendKeys(text);
    }

    private RepoKey key(String name) {
        return new RepoKey(ConsoleServer.ACCOUNT, new RepositoryName(name));
    }

    @Test
    void aLifecyclePolicyWithAnErrorThenAValidOneThenItsPreviewListsExactlyTheImagesItExpires() throws Exception {
        String v1 = server.push("team/app", "v1");
        Thread.sleep(20); // distinct push times: the policy keeps the newest
        String v2 = server.push("team/app", "v2");
        Thread.sleep(20);
        server.push("team/app", "v3");
        Thread.sleep(20);
        server.push("team/app", "v4");
        signIn(browser, server, ConsoleServer.ROOT_ID, ConsoleServer.ROOT_SECRET);
        go(browser.driver.findElement(By.linkText("team/app")));
        go(browser.driver.findElement(By.linkText("Lifecycle policy")));
        assertThat(h1()).isEqualTo("Lifecycle policy of team/app");

        String bad = KEEP_TWO.replace("imageCountMoreThan", "imageCountAbove");
        replaceText("textarea#policy", bad);
        go(find("button.save"));
        String expected = messageOf(bad);
        assertThat(find("#policy-error").getText()).isEqualTo(expected);
        assertThat(find("textarea#policy").getDomProperty("value")).isEqualTo(bad);
        assertThat(find("textarea#policy").getDomProperty("ariaInvalid")).isEqualTo("true");
        browser.screenshot("lifecycle-error");

        replaceText("textarea#policy", KEEP_TWO);
        go(find("button.save"));
        assertThat(find(".notice[role=status]").getText()).isEqualTo("Saved.");
        assertThat(find("textarea#policy").getDomProperty("value")).isEqualTo(KEEP_TWO);
        assertThat(server.backend.registry().repositories().document(key("team/app"), DocumentKind.LIFECYCLE_POLICY)
                .text()).isEqualTo(KEEP_TWO);

        go(find("button.preview"));
        assertThat(find("#preview-summary").getText()).contains("2 image(s) would expire");
        List<List<String>> rows = browser.driver.findElements(By.cssSelector("#preview-table tbody tr")).stream()
                .map(tr -> tr.findElements(By.tagName("td")).stream().map(WebElement::getText).toList()).toList();
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0)).startsWith(v1.substring(0, 19), "v1").endsWith("7", "EXPIRE");
        assertThat(rows.get(1)).startsWith(v2.substring(0, 19), "v2").endsWith("7", "EXPIRE");
        assertThat(find("textarea#policy").getDomProperty("value")).isEqualTo(KEEP_TWO);
        browser.screenshot("lifecycle-preview");
        assertThat(server.send("GET", "/v2/team/app/manifests/v1", null, "Authorization", server.rootToken())
                .statusCode()).as("a preview deletes nothing").isEqualTo(200);
    }

    /** Every section of the settings page with something in it, stored through the domain's services. */
    private void seedSettings() {
        var registry = server.backend.registry();
        String account = ConsoleServer.ACCOUNT;
        new ScanService(registry, ScanSettings.DEFAULTS, Clock.systemUTC()).putRegistryConfiguration(account, "ENHANCED",
                List.of(new ScanningConfiguration.Rule("SCAN_ON_PUSH",
                        List.of(new ScanningConfiguration.Filter("team/*", "WILDCARD")))));
        new ReplicationService(registry, ReplicationSettings.defaults("us-east-1"), Clock.systemUTC())
                .putConfiguration(account, new ReplicationConfiguration(List.of(new ReplicationConfiguration.Rule(
                        List.of(new ReplicationConfiguration.Destination("eu-west-1", "111122223333")), null))));
        Instant now = Instant.now();
        registry.metadata().pullThrough().createRule(new PullThroughIndex.Rule(account, "docker-hub",
                "https://registry-1.docker.io", "docker-hub", null, null, null, now, now), 10);
        registry.templates().create(account, new CreationTemplate("team", "the team's repositories", null, null, null,
                null, null, Set.of(AppliedFor.CREATE_ON_PUSH), null, null, null));
        registry.repositories().putAccountDocument(account, DocumentKind.REGISTRY_POLICY, """
                {"Version":"2012-10-17","Statement":[{"Sid":"replicate","Effect":"Allow",
                 "Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":["ecr:ReplicateImage"],"Resource":"*"}]}""");
    }

    private static String messageOf(String policy) {
        try {
            LifecyclePolicy.parse(policy);
        } catch (RuntimeException e) {
            return e.getMessage();
        }
        throw new AssertionError("the domain accepted it");
    }

    @Test
    void aRepositoryPolicyIsEditedAfterARefusal() throws Exception {
        server.push("app", "v1");
        signIn(browser, server, ConsoleServer.ROOT_ID, ConsoleServer.ROOT_SECRET);
        go(browser.driver.findElement(By.linkText("app")));
        go(browser.driver.findElement(By.linkText("Repository policy")));
        assertThat(h1()).isEqualTo("Repository policy of app");

        replaceText("textarea#policy", AdminHttpTest.BAD_REPOSITORY_POLICY);
        go(find("button.save"));
        assertThat(find("#policy-error").getText()).startsWith("Invalid repository policy: ");
        assertThat(find("textarea#policy").getDomProperty("value")).isEqualTo(AdminHttpTest.BAD_REPOSITORY_POLICY);

        replaceText("textarea#policy", AdminHttpTest.REPOSITORY_POLICY);
        go(find("button.save"));
        assertThat(find(".notice[role=status]").getText()).isEqualTo("Saved.");
        assertThat(server.backend.registry().repositories().document(key("app"), DocumentKind.REPOSITORY_POLICY)
                .text()).isEqualTo(AdminHttpTest.REPOSITORY_POLICY);
        browser.screenshot("repository-policy");

        go(browser.driver.findElement(By.linkText("Delete the policy…")));
        assertThat(h1()).isEqualTo("Delete the repository policy?");
        go(find("button.danger"));
        assertThat(find(".notice[role=status]").getText()).isEqualTo("Deleted.");
        assertThat(browser.driver.findElements(By.linkText("Delete the policy…"))).isEmpty();
    }

    @Test
    void anAdministratorCreatesAUserAndAKeyThatSignsInInASecondSession() throws Exception {
        server.push("team/app", "v1");
        signIn(browser, server, ConsoleServer.ROOT_ID, ConsoleServer.ROOT_SECRET);
        go(browser.driver.findElement(By.linkText("Users")));
        assertThat(h1()).isEqualTo("Users");
        find("input#user").sendKeys("ci");
        go(find("form.create-user button"));
        assertThat(h1()).isEqualTo("User ci");
        assertThat(find(".notice[role=status]").getText()).isEqualTo("Created.");

        find("input#policy-name").sendKeys("read");
        find("textarea#policy").sendKeys("""
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow",
                 "Action":["ecr:DescribeRepositories","ecr:DescribeImages"],"Resource":"*"}]}""");
        go(find("form.put-policy button"));
        assertThat(browser.driver.findElement(By.xpath("//h3[text()='read']"))).isNotNull();

        go(find("form.create-key button"));
        assertThat(h1()).isEqualTo("New access key of ci");
        String id = find("#new-key-id").getText();
        String secret = find("#new-key-secret").getText();
        assertThat(id).matches("AKIA[A-Z2-7]{16}");
        browser.screenshot("access-key-created");
        go(browser.driver.findElement(By.partialLinkText("Done")));
        assertThat(find("#key-table").getText()).contains(id).contains("Active").doesNotContain(secret);

        try (Browser second = new Browser()) {
            signIn(second, server, id, secret);
            assertThat(second.driver.findElement(By.cssSelector(".who")).getText()).endsWith(":user/ci");
            assertThat(second.driver.findElements(By.cssSelector("#repository-table tbody td:first-child a")).stream()
                    .map(WebElement::getText).toList()).containsExactly("team/app");
            second.driver.get(server.base() + "/console/users");
            assertThat(second.driver.findElement(By.tagName("h1")).getText()).isEqualTo("Not allowed");

            go(find("#key-table button")); // deactivate
            assertThat(find("#key-table").getText()).contains("Inactive");
            go(second, second.driver.findElement(By.cssSelector("form.sign-out button")));
            signIn(second, server, id, secret);
            assertThat(second.driver.findElement(By.cssSelector(".error[role=alert]")).getText()).contains("not valid");
        }
    }

    @Test
    void theAdministrationPagesHaveOneHeadingAndLabelledInputs() throws Exception {
        server.push("app", "v1");
        signIn(browser, server, ConsoleServer.ROOT_ID, ConsoleServer.ROOT_SECRET);
        browser.driver.get(server.base() + "/console/users");
        find("input#user").sendKeys("ana");
        go(find("form.create-user button"));
        for (String path : List.of("/console/settings", "/console/settings/registry-policy", "/console/users", "/console/users/ana",
                "/console/users/ana/delete", "/console/repositories/app/-/policy", "/console/repositories/app/-/lifecycle")) {
            browser.driver.get(server.base() + path);
            assertThat(browser.driver.findElements(By.tagName("h1"))).as(path).hasSize(1);
            for (WebElement input : browser.driver.findElements(By.cssSelector("input:not([type=hidden]), textarea"))) {
                String id = input.getAttribute("id");
                assertThat(browser.driver.findElements(By.cssSelector("label[for='" + id + "']"))).as(path + " #" + id)
                        .hasSize(1);
            }
        }
        seedSettings();
        browser.driver.get(server.base() + "/console/settings");
        assertThat(browser.driver.findElements(By.tagName("h2")).stream().map(WebElement::getText).toList())
                .containsExactly("Image scanning", "Replication", "Pull-through cache rules",
                        "Repository creation templates", "Registry policy");
        assertThat(find("main").getText()).contains("Scan type: ENHANCED").contains("SCAN_ON_PUSH")
                .contains("team/* (WILDCARD)").contains("111122223333 in eu-west-1").contains("docker-hub")
                .contains("https://registry-1.docker.io").contains("the team's repositories")
                .contains("CREATE_ON_PUSH").contains("\"Sid\" : \"replicate\"");
        browser.screenshot("settings");
    }
}
