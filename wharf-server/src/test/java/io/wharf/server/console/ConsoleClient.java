package io.wharf.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One signed-in console session over plain HTTP: GETs, and form POSTs with or without the session's CSRF token. */
final class ConsoleClient {
    private static final Pattern FORM_TOKEN = Pattern.compile("name=\"form-token\" value=\"([^\"]+)\"");
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    private final ConsoleServer server;
    final String session;
    final String csrf;

    private ConsoleClient(ConsoleServer server, String session) throws Exception {
        this.server = server;
        this.session = session;
        this.csrf = find(CSRF, get("/console/").body());
    }

    /** Signs in through the form with an access key. */
    static ConsoleClient signIn(ConsoleServer server, String id, String secret) throws Exception {
        HttpResponse<String> r = trySignIn(server, id, secret);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(303);
        String setCookie = r.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith(Cookies.SESSION + "=")).findFirst().orElseThrow();
        return new ConsoleClient(server, setCookie.substring(setCookie.indexOf('=') + 1, setCookie.indexOf(';')));
    }

    /** The answer to the sign-in form's POST (303 when signed in). */
    static HttpResponse<String> trySignIn(ConsoleServer server, String id, String secret) throws Exception {
        HttpResponse<String> page = server.send("GET", "/console/sign-in", null);
        String formCookie = page.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith(Cookies.SIGN_IN + "=")).findFirst().orElseThrow();
        formCookie = formCookie.substring(0, formCookie.indexOf(';'));
        return server.send("POST", "/console/sign-in", form("form-token", find(FORM_TOKEN, page.body()),
                        "access-key-id", id, "secret-access-key", secret),
                "Content-Type", "application/x-www-form-urlencoded", "Cookie", formCookie);
    }

    HttpResponse<String> get(String path) throws Exception {
        return server.send("GET", path, null, "Cookie", Cookies.SESSION + "=" + session);
    }

    /** A form POST carrying the session's CSRF token and the given fields. */
    HttpResponse<String> post(String path, String... fields) throws Exception {
        String[] all = new String[fields.length + 2];
        all[0] = "csrf";
        all[1] = csrf;
        System.arraycopy(fields, 0, all, 2, fields.length);
        return postRaw(path, form(all));
    }

    /** A form POST with exactly the body given (no CSRF token unless it holds one). */
    HttpResponse<String> postRaw(String path, byte[] body) throws Exception {
        return server.send("POST", path, body, "Content-Type", "application/x-www-form-urlencoded",
                "Cookie", Cookies.SESSION + "=" + session);
    }

    static byte[] form(String... pairs) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < pairs.length; i += 2) {
            b.append(i == 0 ? "" : "&").append(pairs[i]).append('=')
                    .append(URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    static String find(Pattern p, String body) {
        Matcher m = p.matcher(body);
        assertThat(m.find()).as(body).isTrue();
        return m.group(1);
    }
}
