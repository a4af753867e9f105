package io.wharf.server.console;

import io.wharf.core.iam.Principal;
import io.wharf.server.auth.AuthException;
import io.wharf.server.console.ConsoleSessions.Session;
import io.wharf.server.observe.RequestFacts;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Sign-in and sign-out. A user signs in with an access key id and its secret, or with a registry password (the
 * ECR token {@code aws ecr get-login-password} prints), checked exactly as the APIs check them. The form carries a
 * token matched against a cookie, so no other site can sign a browser in.
 */
final class SignInPages {
    private final ConsoleContext context;
    private final ConsoleSessions sessions;
    private final Cookies cookies;

    SignInPages(ConsoleContext context, ConsoleSessions sessions, Cookies cookies) {
        this.context = context;
        this.sessions = sessions;
        this.cookies = cookies;
    }

    Reply form(ConsoleCall call) {
        if (call.session() != null) {
            return Reply.redirect(ConsolePath.PREFIX);
        }
        return formPage(call, 200, null);
    }

    Reply signIn(ConsoleCall call) throws Exception {
        String expected = Cookies.read(call.exchange().request(), Cookies.SIGN_IN);
        if (expected == null || !ConsoleSessions.tokenMatches(expected, call.form("form-token"))) {
            return formPage(call, 403, "The sign-in form expired. Please try again.");
        }
        Principal principal;
        try {
            principal = authenticate(call);
        } catch (AuthException e) {
            return formPage(call, 401, e.getMessage());
        }
        RequestFacts.of(call.exchange().request()).principal(principal).account(principal.account()); // audited as who
        if (call.session() != null) {
            sessions.end(call.session());
        }
        ConsoleSessions.Started started = sessions.start(principal);
        cookies.clear(call.exchange(), Cookies.SIGN_IN);
        cookies.set(call.exchange(), Cookies.SESSION, started.cookieId());
        return Reply.redirect(ConsolePath.PREFIX);
    }

    Reply signOut(ConsoleCall call) {
        Session session = call.session();
        sessions.end(session);
        cookies.clear(call.exchange(), Cookies.SESSION);
        return Reply.redirect("/console/sign-in");
    }

    /** An access key when its id was given, else the registry password. */
    private Principal authenticate(ConsoleCall call) throws Exception {
        String keyId = blankToNull(call.form("access-key-id"));
        if (keyId != null) {
            return context.auth().authenticateKey(keyId, call.form("secret-access-key"));
        }
        String password = blankToNull(call.form("registry-password"));
        if (password == null) {
            throw new AuthException(AuthException.Kind.MISSING, "Enter an access key id and secret, or a registry password.");
        }
        String basic = Base64.getEncoder().encodeToString(("AWS:" + password).getBytes(StandardCharsets.UTF_8));
        return context.auth().authenticateRegistry("Basic " + basic);
    }

    private Reply formPage(ConsoleCall call, int status, String error) {
        String token = ConsoleSessions.randomToken();
        cookies.set(call.exchange(), Cookies.SIGN_IN, token);
        call.exchange().setHeader("Cache-Control", "no-store");
        return new Reply.Page(status, "signin.jte", new SignInPage(call.frame("Sign in"), token, error));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
