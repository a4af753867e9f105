package io.wharf.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.iam.Principal;
import io.wharf.core.identity.AccessKey;
import io.wharf.core.spi.ConsoleSessionIndex.ConsoleSession;
import io.wharf.server.auth.IamAuth;
import io.wharf.server.auth.RegistryToken;
import io.wharf.server.cli.IamCli;
import io.wharf.server.config.WharfConfig;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A console session lives no longer than its credential, over HTTP against a real Wharf (SQLite): an access key
 * deactivated or deleted, or its user deleted, ends the session at the next request; a registry password's session
 * ends when the password would.
 */
class ConsoleSessionsFollowCredentialsTest {
    private static final String POLICY = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecr:*","Resource":"*"}]}""";
    private static final Pattern FORM_TOKEN = Pattern.compile("name=\"form-token\" value=\"([^\"]+)\"");

    @TempDir
    Path data;
    private ConsoleServer server;

    @BeforeEach
    void start() throws Exception {
        server = new ConsoleServer(data, true, c -> c.withConsole(new WharfConfig.Console(true, Duration.ofHours(1),
                Duration.ofHours(24), 50)));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** The answer to the sign-in form's POST with a registry password. */
    static HttpResponse<String> trySignInWithPassword(ConsoleServer server, String password) throws Exception {
        HttpResponse<String> page = server.send("GET", "/console/sign-in", null);
        String cookie = page.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith(Cookies.SIGN_IN + "=")).findFirst().orElseThrow();
        return server.send("POST", "/console/sign-in", ConsoleClient.form("form-token",
                        ConsoleClient.find(FORM_TOKEN, page.body()), "registry-password", password),
                "Content-Type", "application/x-www-form-urlencoded", "Cookie", cookie.substring(0, cookie.indexOf(';')));
    }

    private static String sessionCookie(HttpResponse<String> signedIn) {
        assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(303);
        String c = signedIn.headers().allValues("Set-Cookie").stream()
                .filter(v -> v.startsWith(Cookies.SESSION + "=")).findFirst().orElseThrow();
        return c.substring(c.indexOf('=') + 1, c.indexOf(';'));
    }

    private HttpResponse<String> page(String cookie) throws Exception {
        return server.send("GET", "/console/", null, "Cookie", Cookies.SESSION + "=" + cookie);
    }

    private void assertEnded(String cookie) throws Exception {
        HttpResponse<String> r = page(cookie);
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(r.headers().firstValue("Location")).contains("/console/sign-in");
        assertThat(server.backend.registry().metadata().consoleSessions().findSession(ConsoleSessions.hash(cookie)))
                .as("the ended session's row is deleted").isEmpty();
    }

    @Test
    void deactivatingTheKeyEndsItsSessionAtTheNextRequest() throws Exception {
        String[] ana = server.user("ana", POLICY);
        ConsoleClient client = ConsoleClient.signIn(server, ana[0], ana[1]);
        assertThat(client.get("/console/").statusCode()).isEqualTo(200);
        ConsoleSession row = server.backend.registry().metadata().consoleSessions()
                .findSession(ConsoleSessions.hash(client.session)).orElseThrow();
        assertThat(row.accessKeyId()).isEqualTo(ana[0]);

        ((IamAuth) server.backend.auth()).identityStore().setAccessKeyStatus(ana[0], AccessKey.Status.INACTIVE);
        assertEnded(client.session);
        HttpResponse<String> post = client.post("/console/sign-out");
        assertThat(post.statusCode()).isEqualTo(403);
        assertThat(post.body()).contains("Your session has ended");
    }

    @Test
    void deletingTheKeyEndsItsSessionButNotAnotherKeysSession() throws Exception {
        String[] ana = server.user("ana", POLICY);
        ConsoleClient first = ConsoleClient.signIn(server, ana[0], ana[1]);
        ConsoleClient root = ConsoleClient.signIn(server, ConsoleServer.ROOT_ID, ConsoleServer.ROOT_SECRET);

        IamCli.run(data, "delete-access-key", ana[0]);
        assertEnded(first.session);
        assertThat(root.get("/console/").statusCode()).as("the root's session is not touched").isEqualTo(200);
    }

    @Test
    void deletingTheUserEndsBothItsKeySessionAndItsPasswordSession() throws Exception {
        String[] bob = server.user("bob", POLICY);
        ConsoleClient withKey = ConsoleClient.signIn(server, bob[0], bob[1]);
        RegistryToken token = server.backend.auth().issueRegistryToken(Principal.user(ConsoleServer.ACCOUNT, "bob"));
        String withPassword = sessionCookie(trySignInWithPassword(server, token.password()));
        assertThat(page(withPassword).statusCode()).isEqualTo(200);

        IamCli.run(data, "delete-user", "bob");
        assertEnded(withKey.session);
        assertEnded(withPassword);
    }

    @Test
    void aPasswordSessionEndsWhenThePasswordExpires() throws Exception {
        RegistryToken token = server.backend.auth().issueRegistryToken(Principal.root(ConsoleServer.ACCOUNT));
        String cookie = sessionCookie(trySignInWithPassword(server, token.password()));
        ConsoleSession row = server.backend.registry().metadata().consoleSessions()
                .findSession(ConsoleSessions.hash(cookie)).orElseThrow();
        assertThat(row.accessKeyId()).isNull();
        assertThat(row.expiresAt()).as("the token's 12 hours, not the session's 24")
                .isEqualTo(token.expiresAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    }
}
