package io.wharf.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.audit.AuditQuery;
import io.wharf.core.audit.AuditRecord;
import io.wharf.server.app.TestCerts;
import io.wharf.server.config.WharfConfig;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console over plain HTTP against a real Wharf: routing, cookies, sessions, CSRF, headers, errors. */
class ConsoleHttpTest {
    private static final Pattern FORM_TOKEN = Pattern.compile("name=\"form-token\" value=\"([^\"]+)\"");
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    @TempDir
    Path data;
    private ConsoleServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private ConsoleServer start() throws Exception {
        server = new ConsoleServer(data);
        return server;
    }

    private static String cookie(HttpResponse<?> r, String name) {
        return r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(name + "="))
                .findFirst().orElseThrow(() -> new AssertionError("no " + name + " cookie in " + r.headers()));
    }

    private static String value(String setCookie) {
        return setCookie.substring(setCookie.indexOf('=') + 1, setCookie.indexOf(';'));
    }

    private static String form(String... pairs) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < pairs.length; i += 2) {
            b.append(i == 0 ? "" : "&").append(pairs[i]).append('=')
                    .append(URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
        }
        return b.toString();
    }

    private static String find(Pattern p, String body) {
        Matcher m = p.matcher(body);
        assertThat(m.find()).as(body).isTrue();
        return m.group(1);
    }

    /** Signs in through the form; returns the session cookie's value. */
    private String signIn(String... fields) throws Exception {
        HttpResponse<String> page = server.send("GET", "/console/sign-in", null);
        String formCookie = value(cookie(page, Cookies.SIGN_IN));
        String[] all = new String[fields.length + 2];
        all[0] = "form-token";
        all[1] = find(FORM_TOKEN, page.body());
        System.arraycopy(fields, 0, all, 2, fields.length);
        HttpResponse<String> r = server.send("POST", "/console/sign-in", form(all).getBytes(StandardCharsets.UTF_8),
                "Content-Type", "application/x-www-form-urlencoded", "Cookie", Cookies.SIGN_IN + "=" + formCookie);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(303);
        return value(cookie(r, Cookies.SESSION));
    }

    private HttpResponse<String> get(String path, String session) throws Exception {
        return server.send("GET", path, null, "Cookie", Cookies.SESSION + "=" + session);
    }

    @Test
    void theRootRedirectsBrowsersToTheConsoleAndTheApisKeepTheirPaths() throws Exception {
        start();
        HttpResponse<String> root = server.send("GET", "/", null);
        assertThat(root.statusCode()).isEqualTo(302);
        assertThat(root.headers().firstValue("Location")).contains("/console/");
        HttpResponse<String> ecr = server.send("POST", "/", "{}".getBytes(StandardCharsets.UTF_8),
                "Content-Type", "application/x-amz-json-1.1",
                "X-Amz-Target", "AmazonEC2ContainerRegistry_V20150921.DescribeRepositories");
        assertThat(ecr.body()).as("POST / is still the ECR API").contains("\"__type\"");
        assertThat(server.send("GET", "/v2/", null).statusCode()).isEqualTo(401);
        assertThat(server.send("GET", "/console/", null).headers().firstValue("Location"))
                .contains("/console/sign-in");
    }

    @Test
    void pagesCarryTheSecurityHeadersAndCookiesTheirAttributes() throws Exception {
        start();
        HttpResponse<String> page = server.send("GET", "/console/sign-in", null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("default-src 'self'").contains("frame-ancestors 'none'");
        assertThat(page.headers().firstValue("X-Frame-Options")).contains("DENY");
        assertThat(page.headers().firstValue("Referrer-Policy")).contains("same-origin");
        assertThat(cookie(page, Cookies.SIGN_IN)).contains("HttpOnly").contains("SameSite=Lax")
                .contains("Path=/console").doesNotContain("Secure");
        String session = signIn("access-key-id", ConsoleServer.ROOT_ID, "secret-access-key", ConsoleServer.ROOT_SECRET);
        HttpResponse<String> list = get("/console/", session);
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.headers().firstValue("Cache-Control")).contains("no-store");
        HttpResponse<String> css = server.send("GET", "/console/static/htmx.min.js", null);
        assertThat(css.statusCode()).isEqualTo(200);
        assertThat(css.headers().firstValue("Cache-Control").orElseThrow()).contains("max-age");
    }

    @Test
    void aSessionIsARowKeyedByTheHashOfItsIdAndSignOutDeletesIt() throws Exception {
        start();
        String password = server.rootToken().substring("Basic ".length());
        password = new String(Base64.getDecoder().decode(password), StandardCharsets.UTF_8).substring(4);
        String session = signIn("registry-password", password);
        var sessions = server.backend.registry().metadata().consoleSessions();
        assertThat(sessions.findSession(session)).as("the raw id is not stored").isEmpty();
        var row = sessions.findSession(ConsoleSessions.hash(session)).orElseThrow();
        assertThat(row.principalArn()).isEqualTo("arn:aws:iam::" + ConsoleServer.ACCOUNT + ":root");
        String csrf = find(CSRF, get("/console/", session).body());
        assertThat(csrf).isEqualTo(row.csrfToken());

        HttpResponse<String> noToken = server.send("POST", "/console/sign-out", new byte[0],
                "Content-Type", "application/x-www-form-urlencoded", "Cookie", Cookies.SESSION + "=" + session);
        assertThat(noToken.statusCode()).as("sign-out needs the CSRF token too").isEqualTo(403);
        HttpResponse<String> out = server.send("POST", "/console/sign-out", form("csrf", csrf).getBytes(StandardCharsets.UTF_8),
                "Content-Type", "application/x-www-form-urlencoded", "Cookie", Cookies.SESSION + "=" + session);
        assertThat(out.statusCode()).isEqualTo(303);
        assertThat(cookie(out, Cookies.SESSION)).contains("Max-Age=0");
        assertThat(sessions.findSession(ConsoleSessions.hash(session))).isEmpty();
        assertThat(get("/console/", session).statusCode()).isEqualTo(303);
    }

    @Test
    void aDeleteWithoutTheSessionsCsrfTokenIsRefusedAndDeletesNothing() throws Exception {
        start();
        String digest = server.push("app", "v1");
        String session = signIn("access-key-id", ConsoleServer.ROOT_ID, "secret-access-key", ConsoleServer.ROOT_SECRET);
        String path = "/console/repositories/app/-/images/" + digest + "/delete";
        for (String body : List.of("", form("csrf", "forged"))) {
            HttpResponse<String> r = server.send("POST", path, body.getBytes(StandardCharsets.UTF_8),
                    "Content-Type", "application/x-www-form-urlencoded", "Cookie", Cookies.SESSION + "=" + session);
            assertThat(r.statusCode()).as(body).isEqualTo(403);
            assertThat(r.body()).contains("CSRF token");
        }
        assertThat(server.send("GET", "/v2/app/manifests/" + digest, null, "Authorization", server.rootToken())
                .statusCode()).isEqualTo(200);
    }

    @Test
    void signInRefusesWrongSecretsAndFormsPostedFromElsewhere() throws Exception {
        start();
        HttpResponse<String> page = server.send("GET", "/console/sign-in", null);
        String token = find(FORM_TOKEN, page.body());
        byte[] wrong = form("form-token", token, "access-key-id", ConsoleServer.ROOT_ID, "secret-access-key", "nope")
                .getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> r = server.send("POST", "/console/sign-in", wrong, "Content-Type",
                "application/x-www-form-urlencoded", "Cookie", Cookies.SIGN_IN + "=" + value(cookie(page, Cookies.SIGN_IN)));
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).contains("not valid");
        assertThat(r.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith(Cookies.SESSION + "="));
        byte[] right = form("form-token", token, "access-key-id", ConsoleServer.ROOT_ID, "secret-access-key",
                ConsoleServer.ROOT_SECRET).getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> noCookie = server.send("POST", "/console/sign-in", right, "Content-Type",
                "application/x-www-form-urlencoded");
        assertThat(noCookie.statusCode()).as("no form cookie: a form posted from another site").isEqualTo(403);
    }

    @Test
    void badInputGetsAnErrorPageNeverA500AndEverythingIsEscaped() throws Exception {
        start();
        server.push("app", "v1");
        String session = signIn("access-key-id", ConsoleServer.ROOT_ID, "secret-access-key", ConsoleServer.ROOT_SECRET);
        assertThat(get("/console/repositories/Not_Valid", session).statusCode()).isEqualTo(400);
        assertThat(get("/console/repositories/app/-/images/sha256:zz", session).statusCode()).isEqualTo(400);
        assertThat(get("/console/repositories/app?filter=bogus", session).statusCode()).isEqualTo(400);
        assertThat(get("/console/repositories/app?after=nope", session).statusCode()).isEqualTo(400);
        assertThat(get("/console/?sort=size", session).statusCode()).isEqualTo(400);
        assertThat(get("/console/repositories/missing", session).statusCode()).isEqualTo(404);
        assertThat(get("/console/nowhere", session).statusCode()).isEqualTo(404);
        assertThat(get("/console/?after=%C3%28", session).statusCode()).isEqualTo(400);
        HttpResponse<String> xss = get("/console/?prefix=" + URLEncoder.encode("<script>alert(1)</script>",
                StandardCharsets.UTF_8), session);
        assertThat(xss.statusCode()).isEqualTo(200);
        assertThat(xss.body()).doesNotContain("<script>alert").contains("&lt;script&gt;alert(1)&lt;/script&gt;");
    }

    @Test
    void anIdleSessionEndsAndIsDeleted() throws Exception {
        server = new ConsoleServer(data, true, c -> c.withConsole(new WharfConfig.Console(true,
                Duration.ofSeconds(1), Duration.ofHours(1), 50)));
        String session = signIn("access-key-id", ConsoleServer.ROOT_ID, "secret-access-key", ConsoleServer.ROOT_SECRET);
        for (int i = 0; i < 4; i++) {
            Thread.sleep(400);
            assertThat(get("/console/", session).statusCode()).as("kept alive by use").isEqualTo(200);
        }
        Thread.sleep(1200);
        HttpResponse<String> later = get("/console/", session);
        assertThat(later.statusCode()).isEqualTo(303);
        assertThat(later.headers().firstValue("Location")).contains("/console/sign-in");
        assertThat(server.backend.registry().metadata().consoleSessions().findSession(ConsoleSessions.hash(session)))
                .isEmpty();
    }

    @Test
    void aSessionEndsAtItsMaxAgeHoweverBusy() throws Exception {
        server = new ConsoleServer(data, true, c -> c.withConsole(new WharfConfig.Console(true,
                Duration.ofHours(1), Duration.ofSeconds(1), 50)));
        String session = signIn("access-key-id", ConsoleServer.ROOT_ID, "secret-access-key", ConsoleServer.ROOT_SECRET);
        assertThat(get("/console/", session).statusCode()).isEqualTo(200);
        Thread.sleep(1200);
        assertThat(get("/console/", session).statusCode()).isEqualTo(303);
    }

    @Test
    void withAuthenticationOffTheConsoleSignsInAsTheRootAndSaysSo() throws Exception {
        server = new ConsoleServer(data, false, c -> c);
        HttpResponse<String> r = server.send("GET", "/console/", null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("Authentication is disabled").contains(":root");
        assertThat(cookie(r, Cookies.SESSION)).contains("HttpOnly");
    }

    @Test
    void aDisabledConsoleIsNotServed() throws Exception {
        server = new ConsoleServer(data, true, c -> c.withConsole(new WharfConfig.Console(false,
                Duration.ofHours(1), Duration.ofHours(1), 50)));
        assertThat(server.send("GET", "/console/sign-in", null).statusCode()).isEqualTo(404);
        assertThat(server.send("GET", "/", null).statusCode()).isEqualTo(404);
    }

    @Test
    void overTlsTheCookiesAreSecure() throws Exception {
        TestCerts.Pair pair = TestCerts.rsa(data);
        server = new ConsoleServer(data, true, c -> c.withTls(Optional.of(
                new WharfConfig.Tls(pair.cert(), pair.key()))));
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (var in = Files.newInputStream(pair.cert())) {
            trust.setCertificateEntry("test", CertificateFactory.getInstance("X.509")
                    .generateCertificate(in));
        }
        var tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        var tls = SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);
        var client = HttpClient.newBuilder().sslContext(tls).build();
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(
                server.app.server().uri().resolve("/console/sign-in")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(cookie(r, Cookies.SIGN_IN)).contains("; Secure");
    }

    @Test
    void signInsAndDeletesAreInTheAuditTrailAsTheSignedInPrincipal() throws Exception {
        start();
        String digest = server.push("app", "v1");
        String session = signIn("access-key-id", ConsoleServer.ROOT_ID, "secret-access-key", ConsoleServer.ROOT_SECRET);
        String csrf = find(CSRF, get("/console/", session).body());
        HttpResponse<String> deleted = server.send("POST", "/console/repositories/app/-/images/" + digest + "/delete",
                form("csrf", csrf).getBytes(StandardCharsets.UTF_8), "Content-Type",
                "application/x-www-form-urlencoded", "Cookie", Cookies.SESSION + "=" + session);
        assertThat(deleted.statusCode()).isEqualTo(303);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<AuditRecord> records = List.of();
        while (System.nanoTime() < deadline && records.stream().noneMatch(r -> r.eventName().equals("BatchDeleteImage"))) {
            Thread.sleep(50);
            records = server.backend.registry().metadata().audit().findAudit(AuditQuery.newest(100));
        }
        String root = "arn:aws:iam::" + ConsoleServer.ACCOUNT + ":root";
        assertThat(records).filteredOn(r -> r.eventName().equals("BatchDeleteImage")).singleElement().satisfies(r -> {
            assertThat(r.eventSource()).isEqualTo("wharf");
            assertThat(r.identity().arn()).isEqualTo(root);
            assertThat(r.repository()).isEqualTo("app");
            assertThat(r.readOnly()).isFalse();
        });
        assertThat(records).filteredOn(r -> r.eventName().equals("SignIn")).singleElement()
                .satisfies(r -> assertThat(r.identity().arn()).isEqualTo(root));
    }
}
