package io.wharf.server.console;

import io.wharf.server.http.Exchange;
import java.util.List;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.server.Request;

/**
 * The console's two cookies, scoped to {@code /console}: the session id, and the sign-in form's token (a form
 * posted from elsewhere cannot sign a browser in as someone else). Both HttpOnly and SameSite=Lax, and Secure
 * when the server speaks TLS.
 */
final class Cookies {
    static final String SESSION = "wharf_console";
    static final String SIGN_IN = "wharf_console_signin";

    private final boolean secure;

    Cookies(boolean secure) {
        this.secure = secure;
    }

    static String read(Request request, String name) {
        List<HttpCookie> cookies = Request.getCookies(request);
        for (HttpCookie c : cookies) {
            if (c.getName().equals(name)) {
                return c.getValue();
            }
        }
        return null;
    }

    void set(Exchange ex, String name, String value) {
        ex.addHeader("Set-Cookie", name + "=" + value + attributes());
    }

    void clear(Exchange ex, String name) {
        ex.addHeader("Set-Cookie", name + "=; Max-Age=0" + attributes());
    }

    private String attributes() {
        return "; Path=/console; HttpOnly; SameSite=Lax" + (secure ? "; Secure" : "");
    }
}
