package io.wharf.server.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import gg.jte.html.escape.Escape;
import gg.jte.output.StringOutput;
import io.wharf.core.error.PolicyNotFoundException;
import io.wharf.core.iam.PolicyDocument;
import io.wharf.core.iam.PolicySyntaxException;
import io.wharf.core.lifecycle.LifecyclePolicy;
import io.wharf.core.lifecycle.LifecyclePolicyException;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.service.RepoKey;
import io.wharf.core.spi.DocumentKind;
import io.wharf.core.template.AppliedFor;
import io.wharf.core.template.CreationTemplate;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The console's administration pages over plain HTTP against a real Wharf: CSRF, validation, authorization, secrets. */
class AdminHttpTest {
    static final String LIFECYCLE = """
            {"rules":[{"rulePriority":1,"description":"keep the newest","selection":{"tagStatus":"any",
            "countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}}]}""";
    /** Long enough, valid JSON, refused by the lifecycle grammar (no such tag status). */
    static final String BAD_LIFECYCLE = """
            {"rules":[{"rulePriority":1,"description":"<keep> & 'quote'","selection":{"tagStatus":"sometimes",
            "countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}}]}""";
    static final String REPOSITORY_POLICY = """
            {"Version":"2012-10-17","Statement":[{"Sid":"pull","Effect":"Allow","Principal":"*",
             "Action":["ecr:BatchGetImage"]}]}""";
    static final String BAD_REPOSITORY_POLICY = """
            {"Version":"2012-10-17","Statement":[{"Sid":"pull","Effect":"Perhaps","Principal":"*",
             "Action":["ecr:BatchGetImage"]}]}""";
    private static final Pattern KEY_ID = Pattern.compile("id=\"new-key-id\">([^<]+)<");
    private static final Pattern SECRET = Pattern.compile("id=\"new-key-secret\">([^<]+)<");

    @TempDir
    Path data;
    private ConsoleServer server;
    private ConsoleClient root;

    @BeforeEach
    void start() throws Exception {
        server = new ConsoleServer(data);
        server.push("app", "v1");
        root = ConsoleClient.signIn(server, ConsoleServer.ROOT_ID, ConsoleServer.ROOT_SECRET);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private RepoKey app() {
        return new RepoKey(ConsoleServer.ACCOUNT, new RepositoryName("app"));
    }

    /** As the page writes it: JTE's own escaping. */
    static String html(String text) {
        StringOutput out = new StringOutput();
        Escape.htmlContent(text, out);
        return out.toString();
    }

    private static String domainMessage(Runnable parse) {
        try {
            parse.run();
        } catch (RuntimeException e) {
            return e.getMessage();
        }
        throw new AssertionError("the domain accepted it");
    }

    @Test
    void everyAdministrationFormRefusesAMissingOrForgedCsrfTokenAndChangesNothing() throws Exception {
        root.post("/console/users", "user", "ana");
        String key = find(KEY_ID, root.post("/console/users/ana/keys").body());
        List<String> posts = List.of("/console/repositories/app/-/policy", "/console/repositories/app/-/policy/delete",
                "/console/repositories/app/-/lifecycle", "/console/repositories/app/-/lifecycle/delete",
                "/console/repositories/app/-/lifecycle/preview", "/console/settings/registry-policy",
                "/console/settings/registry-policy/delete", "/console/users", "/console/users/ana/policies",
                "/console/users/ana/keys", "/console/users/ana/keys/" + key + "/status",
                "/console/users/ana/keys/" + key + "/delete", "/console/users/ana/delete");
        for (String path : posts) {
            for (byte[] body : List.of(ConsoleClient.form("policy", LIFECYCLE, "user", "bob", "status", "Inactive"),
                    ConsoleClient.form("csrf", "forged", "policy", LIFECYCLE, "user", "bob", "status", "Inactive"))) {
                HttpResponse<String> r = root.postRaw(path, body);
                assertThat(r.statusCode()).as(path).isEqualTo(403);
                assertThat(r.body()).as(path).contains("CSRF token");
            }
        }
        var repos = server.backend.registry().repositories();
        assertThatThrownBy(() -> repos.document(app(), DocumentKind.LIFECYCLE_POLICY))
                .isInstanceOf(PolicyNotFoundException.class);
        assertThatThrownBy(() -> repos.document(app(), DocumentKind.REPOSITORY_POLICY))
                .isInstanceOf(PolicyNotFoundException.class);
        assertThatThrownBy(() -> server.backend.registry().lifecycle().preview(app()))
                .isInstanceOf(PolicyNotFoundException.class);
        String user = root.get("/console/users/ana").body();
        assertThat(user).contains(key).contains(">Active<").doesNotContain("Inactive<");
        assertThat(root.get("/console/users").body()).doesNotContain(">bob<");
    }

    @Test
    void aRefusedLifecyclePolicyShowsTheDomainsMessageBesideTheTextKeptThenAValidOneIsStored() throws Exception {
        String expected = domainMessage(() -> LifecyclePolicy.parse(BAD_LIFECYCLE));
        assertThat(expected).contains("Lifecycle policy validation failure");
        HttpResponse<String> refused = root.post("/console/repositories/app/-/lifecycle", "policy", BAD_LIFECYCLE);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("id=\"policy-error\" role=\"alert\">" + html(expected) + "<")
                .contains(html(BAD_LIFECYCLE) + "</textarea>").contains("aria-invalid=\"true\"")
                .doesNotContain("<keep>");
        assertThatThrownBy(() -> server.backend.registry().repositories().document(app(), DocumentKind.LIFECYCLE_POLICY))
                .isInstanceOf(PolicyNotFoundException.class);

        HttpResponse<String> tooShort = root.post("/console/repositories/app/-/lifecycle", "policy", "{}");
        assertThat(tooShort.statusCode()).isEqualTo(400);
        assertThat(tooShort.body()).contains("at least " + LifecyclePolicy.MIN_LENGTH).contains("{}</textarea>");

        HttpResponse<String> saved = root.post("/console/repositories/app/-/lifecycle", "policy", LIFECYCLE);
        assertThat(saved.statusCode()).isEqualTo(303);
        assertThat(saved.headers().firstValue("Location")).contains("/console/repositories/app/-/lifecycle?saved=1");
        assertThat(server.backend.registry().repositories().document(app(), DocumentKind.LIFECYCLE_POLICY).text())
                .isEqualTo(LIFECYCLE);
        assertThat(root.get("/console/repositories/app/-/lifecycle?saved=1").body()).contains("Saved.")
                .contains(html(LIFECYCLE) + "</textarea>");

        assertThat(root.get("/console/repositories/app/-/lifecycle/delete").body()).contains("Delete the lifecycle policy?");
        assertThat(root.post("/console/repositories/app/-/lifecycle/delete").statusCode()).isEqualTo(303);
        assertThatThrownBy(() -> server.backend.registry().repositories().document(app(), DocumentKind.LIFECYCLE_POLICY))
                .isInstanceOf(PolicyNotFoundException.class);
    }

    @Test
    void aLifecyclePolicyAsLongAsTheQuotaAllowsIsSavedThoughItsFormIsFarLongerThanTheUsualFormLimit() throws Exception {
        String policy = LIFECYCLE.replace("keep the newest", "<&>".repeat(9_800));
        assertThat(policy.length()).isBetween(29_000, LifecyclePolicy.MAX_LENGTH);
        assertThat(ConsoleClient.form("policy", policy).length).isGreaterThan(ConsoleCall.MAX_FORM_BYTES);
        assertThat(root.post("/console/repositories/app/-/lifecycle", "policy", policy).statusCode()).isEqualTo(303);
        assertThat(server.backend.registry().repositories().document(app(), DocumentKind.LIFECYCLE_POLICY).text())
                .isEqualTo(policy);
        HttpResponse<String> tooLong = root.post("/console/repositories/app/-/lifecycle", "policy",
                policy.replace("<&>", "<&>>"));
        assertThat(tooLong.statusCode()).isEqualTo(400);
        assertThat(tooLong.body()).contains("at most " + LifecyclePolicy.MAX_LENGTH);
    }

    @Test
    void aRefusedRepositoryPolicyShowsTheDomainsMessageThenAValidOneIsStoredAndDeleted() throws Exception {
        String expected = domainMessage(() -> PolicyDocument.parse(BAD_REPOSITORY_POLICY));
        assertThatThrownBy(() -> PolicyDocument.parse(BAD_REPOSITORY_POLICY)).isInstanceOf(PolicySyntaxException.class);
        HttpResponse<String> refused = root.post("/console/repositories/app/-/policy", "policy", BAD_REPOSITORY_POLICY);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains(html(expected)).contains(html(BAD_REPOSITORY_POLICY) + "</textarea>");

        assertThat(root.post("/console/repositories/app/-/policy", "policy", REPOSITORY_POLICY).statusCode())
                .isEqualTo(303);
        var repos = server.backend.registry().repositories();
        assertThat(repos.document(app(), DocumentKind.REPOSITORY_POLICY).text()).isEqualTo(REPOSITORY_POLICY);
        assertThat(root.post("/console/repositories/app/-/policy/delete").statusCode()).isEqualTo(303);
        assertThatThrownBy(() -> repos.document(app(), DocumentKind.REPOSITORY_POLICY))
                .isInstanceOf(PolicyNotFoundException.class);
        assertThat(root.post("/console/repositories/app/-/policy/delete").statusCode()).as("none left").isEqualTo(404);
        assertThat(root.get("/console/repositories/missing/-/policy").statusCode()).isEqualTo(404);
    }

    @Test
    void aNarrowUserIsRefusedEveryAdministrationPageAndChangesNothing() throws Exception {
        String[] key = server.user("viewer", """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow",
                 "Action":["ecr:DescribeRepositories","ecr:DescribeImages","ecr:GetLifecyclePolicy","ecr:DescribeRegistry"],
                 "Resource":"*"}]}""");
        ConsoleClient viewer = ConsoleClient.signIn(server, key[0], key[1]);
        assertThat(viewer.get("/console/repositories/app/-/lifecycle").statusCode()).isEqualTo(200);
        assertThat(viewer.get("/console/repositories/app/-/policy").statusCode()).isEqualTo(403);
        for (String path : List.of("/console/repositories/app/-/lifecycle", "/console/repositories/app/-/policy",
                "/console/repositories/app/-/lifecycle/preview")) {
            HttpResponse<String> r = viewer.post(path, "policy", LIFECYCLE);
            assertThat(r.statusCode()).as(path).isEqualTo(403);
            assertThat(r.body()).as(path).contains("is not authorized to perform");
        }
        assertThatThrownBy(() -> server.backend.registry().repositories().document(app(), DocumentKind.LIFECYCLE_POLICY))
                .isInstanceOf(PolicyNotFoundException.class);

        HttpResponse<String> settings = viewer.get("/console/settings");
        assertThat(settings.statusCode()).isEqualTo(200);
        assertThat(settings.body()).contains("No replication rules.")
                .contains("Not shown: reading it needs ecr:GetRegistryPolicy.")
                .contains("Not shown: reading it needs ecr:GetRegistryScanningConfiguration.");

        assertThat(viewer.get("/console/settings/registry-policy").statusCode()).isEqualTo(403);
        assertThat(viewer.post("/console/settings/registry-policy", "policy", REPOSITORY_POLICY).statusCode())
                .isEqualTo(403);
        assertThat(server.backend.registry().repositories()
                .accountDocument(ConsoleServer.ACCOUNT, DocumentKind.REGISTRY_POLICY)).isEmpty();
        assertThat(viewer.get("/console/users").statusCode()).isEqualTo(403);
        assertThat(viewer.get("/console/users/viewer").statusCode()).isEqualTo(403);
        HttpResponse<String> create = viewer.post("/console/users", "user", "mallory");
        assertThat(create.statusCode()).isEqualTo(403);
        assertThat(create.body()).contains("iam:CreateUser");
        assertThat(viewer.post("/console/users/viewer/keys").statusCode()).isEqualTo(403);
        assertThat(root.get("/console/users").body()).doesNotContain("mallory");
    }

    @Test
    void aNewKeysSecretIsShownOnceNeverLoggedAndTheKeySignsInUntilDeactivatedOrDeleted() throws Exception {
        Logger rootLogger = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        rootLogger.addAppender(logs);
        try {
            HttpResponse<String> created = root.post("/console/users", "user", "ci");
            assertThat(created.statusCode()).isEqualTo(303);
            assertThat(root.post("/console/users/ci/policies", "policy-name", "read", "policy", """
                    {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecr:DescribeRepositories",
                     "Resource":"*"}]}""").statusCode()).isEqualTo(303);
            HttpResponse<String> page = root.post("/console/users/ci/keys");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("Cache-Control")).contains("no-store");
            String id = find(KEY_ID, page.body());
            String secret = find(SECRET, page.body());

            assertThat(root.get("/console/users/ci").body()).contains(id).doesNotContain(secret);
            ConsoleClient ci = ConsoleClient.signIn(server, id, secret);
            assertThat(ci.get("/console/").body()).contains(">app<");
            assertThat(ci.get("/console/users").statusCode()).as("no IAM rights").isEqualTo(403);

            assertThat(root.post("/console/users/ci/keys/" + id + "/status", "status", "Inactive").statusCode())
                    .isEqualTo(303);
            assertThat(ConsoleClient.trySignIn(server, id, secret).statusCode()).isEqualTo(401);
            assertThat(root.post("/console/users/ci/keys/" + id + "/status", "status", "Active").statusCode())
                    .isEqualTo(303);
            assertThat(ConsoleClient.trySignIn(server, id, secret).statusCode()).isEqualTo(303);
            assertThat(root.get("/console/users/ci/keys/" + id + "/delete").body()).contains("Delete the access key");
            assertThat(root.post("/console/users/ci/keys/" + id + "/delete").statusCode()).isEqualTo(303);
            assertThat(ConsoleClient.trySignIn(server, id, secret).statusCode()).isEqualTo(401);
            assertThat(root.post("/console/users/ci/keys/" + id + "/delete").statusCode()).isEqualTo(404);

            assertThat(logs.list).isNotEmpty();
            assertThat(logs.list).noneMatch(e -> e.getFormattedMessage().contains(secret));
        } finally {
            rootLogger.detachAppender(logs);
        }
    }

    @Test
    void userFormsShowTheIdentityRulesMessagesAndDeletesConfirmFirst() throws Exception {
        HttpResponse<String> bad = root.post("/console/users", "user", "no spaces <b>");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("id=\"user-error\"").contains("invalid user name")
                .contains("value=\"no spaces &lt;b");
        assertThat(root.post("/console/users", "user", "ana").statusCode()).isEqualTo(303);
        assertThat(root.post("/console/users", "user", "ANA").statusCode()).as("names ignore case").isEqualTo(409);

        HttpResponse<String> policy = root.post("/console/users/ana/policies", "policy-name", "p", "policy", "{\"nope\":1}");
        assertThat(policy.statusCode()).isEqualTo(400);
        assertThat(policy.body()).contains("id=\"policy-error\"").contains(html("{\"nope\":1}") + "</textarea>");

        assertThat(root.get("/console/users/ana/delete").body()).contains("Delete the user ana?");
        assertThat(root.post("/console/users/ana/delete").statusCode()).isEqualTo(303);
        assertThat(root.get("/console/users?deleted=ana").body()).contains("Deleted the user ana.")
                .doesNotContain("href=\"/console/users/ana\"");
        assertThat(root.get("/console/users/ana").statusCode()).isEqualTo(404);
        assertThat(root.get("/console/users/bad%20name").statusCode()).isEqualTo(400);
        assertThat(root.get("/console/users/ana/keys/x/nowhere").statusCode()).isEqualTo(404);
    }

    @Test
    void theRegistryPolicyIsEditedFromTheSettingsWithTheDomainsValidation() throws Exception {
        assertThat(root.get("/console/settings").body()).contains("href=\"/console/settings/registry-policy\"");
        String bad = BAD_REPOSITORY_POLICY;
        HttpResponse<String> refused = root.post("/console/settings/registry-policy", "policy", bad);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("Invalid registry policy: " + html(domainMessage(() -> PolicyDocument.parse(bad))))
                .contains(html(bad) + "</textarea>");
        var repos = server.backend.registry().repositories();
        assertThat(repos.accountDocument(ConsoleServer.ACCOUNT, DocumentKind.REGISTRY_POLICY)).isEmpty();

        assertThat(root.post("/console/settings/registry-policy", "policy", REPOSITORY_POLICY).statusCode())
                .isEqualTo(303);
        assertThat(repos.registryPolicy(ConsoleServer.ACCOUNT).text()).isEqualTo(REPOSITORY_POLICY);
        assertThat(root.get("/console/settings/registry-policy?saved=1").body()).contains("Saved.")
                .contains("<h1>Registry policy</h1>").contains(html(REPOSITORY_POLICY) + "</textarea>");
        assertThat(root.get("/console/settings/registry-policy/delete").body()).contains("Delete the registry policy?");
        assertThat(root.post("/console/settings/registry-policy/delete").statusCode()).isEqualTo(303);
        assertThat(repos.accountDocument(ConsoleServer.ACCOUNT, DocumentKind.REGISTRY_POLICY)).isEmpty();
        assertThat(root.post("/console/settings/registry-policy/delete").statusCode()).isEqualTo(404);
    }

    @Test
    void theSettingsPageShowsWhatIsConfigured() throws Exception {
        var registry = server.backend.registry();
        registry.repositories().putAccountDocument(ConsoleServer.ACCOUNT, DocumentKind.REGISTRY_POLICY, REPOSITORY_POLICY
                .replace("\"Principal\":\"*\",", "\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},"));
        registry.templates().create(ConsoleServer.ACCOUNT, new CreationTemplate("team", "the team's repositories",
                null, null, null, null, null, Set.of(AppliedFor.PULL_THROUGH_CACHE), null, null, null));
        HttpResponse<String> page = root.get("/console/settings");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Scan type: <strong>BASIC</strong>").contains("No replication rules.")
                .contains("No pull-through cache rules.").contains("<code>team</code>").contains(html("the team's repositories"))
                .contains("PULL_THROUGH_CACHE").contains("arn:aws:iam::111122223333:root");
    }

    @Test
    void withAuthenticationOffThereAreNoUsersToManageButThePoliciesAreEditable(@TempDir Path other) throws Exception {
        server.close();
        server = new ConsoleServer(other, false, c -> c);
        server.push("app", "v1");
        HttpResponse<String> users = server.send("GET", "/console/users", null);
        assertThat(users.statusCode()).isEqualTo(404);
        assertThat(users.body()).contains("Authentication is disabled");
        assertThat(users.body()).contains("href=\"/console/settings\"").doesNotContain("href=\"/console/users\"");
        HttpResponse<String> lifecycle = server.send("GET", "/console/repositories/app/-/lifecycle", null);
        assertThat(lifecycle.statusCode()).isEqualTo(200);
        assertThat(lifecycle.body()).contains("<textarea id=\"policy\"");
    }

    private static String find(Pattern p, String body) {
        Matcher m = p.matcher(body);
        assertThat(m.find()).as(body).isTrue();
        return m.group(1);
    }
}
