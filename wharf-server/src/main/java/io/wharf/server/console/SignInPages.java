package io.wharf.server.console;

import io.wharf.core.iam.Principal;
import io.wharf.server.auth.Auth;
import io.wharf.server.auth.AuthException;
import io.wharf.server.console.ConsoleSessions.Session;
import io.wharf.server.observe.RequestFacts;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Sign-in and sign-out. A user signs in with an access key id and its secret, or with a registry password (the
 * ECR token {@code aws ecr get-login-password} prints), checked exactly as the APIs check them; repeated failures
 * are slowed, then refused for a while ({@link SignInThrottle}). The form carries a token matched against a cookie,
 * so no other site can sign a browser in.
 */
final class SignInPages {
    private final ConsoleContext context;
    private final ConsoleSessions sessions;
    private final Cookies cookies;
    private final SignInThrottle throttle;

    /** Who signed in, and what the session must follow: the access key, or the password's expiry. */
    private record Credential(Principal principal, String accessKeyId, Instant expiresAt) {
    }

    SignInPages(ConsoleContext context, ConsoleSessions sessions, Cookies cookies, SignInThrottle throttle) {
        this.context = context;
        this.sessions = sessions;
        this.cookies = cookies;
        this.throttle = throttle;
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
        String keyId = blankToNull(call.form("access-key-id"));
        Optional<Duration> refused = throttle.admit(keyId, call.sourceIp());
        if (refused.isPresent()) {
            return tooMany(call, refused.get());
        }
        Credential credential;
        try {
            credential = authenticate(call, keyId);
        } catch (AuthException e) {
            if (e.kind() != AuthException.Kind.MISSING) {
                throttle.failed(keyId, call.sourceIp());
            }
            return formPage(call, 401, e.getMessage());
        }
        throttle.succeeded(keyId);
        Principal principal = credential.principal();
        RequestFacts.of(call.exchange().request()).principal(principal).account(principal.account()); // audited as who
        if (call.session() != null) {
            sessions.end(call.session());
        }
        ConsoleSessions.Started started = sessions.start(principal, credential.accessKeyId(), credential.expiresAt());
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
    private Credential authenticate(ConsoleCall call, String keyId) throws Exception {
        if (keyId != null) {
            Principal p = context.auth().authenticateKey(keyId, call.form("secret-access-key"));
            return new Credential(p, keyId, Instant.MAX);
        }
        String password = blankToNull(call.form("registry-password"));
        if (password == null) {
            throw new AuthException(AuthException.Kind.MISSING, "Enter an access key id and secret, or a registry password.");
        }
        Auth.PasswordCredential c = context.auth().authenticatePassword(password);
        return new Credential(c.principal(), null, c.expiresAt());
    }

    /** 429 with {@code Retry-After} in whole seconds (rounded up), and the form to try again later. */
    private Reply tooMany(ConsoleCall call, Duration retryAfter) {
        long seconds = Math.max(1, retryAfter.plusMillis(999).toSeconds());
        call.exchange().setHeader("Retry-After", Long.toString(seconds));
        return formPage(call, 429, "Too many failed sign-ins. Try again in " + waitTime(seconds) + ".");
    }

    private Reply formPage(ConsoleCall call, int status, String error) {
        String token = ConsoleSessions.randomToken();
        cookies.set(call.exchange(), Cookies.SIGN_IN, token);
        call.exchange().setHeader("Cache-Control", "no-store");
        return new Reply.Page(status, "signin.jte", new SignInPage(call.frame("Sign in"), token, error));
    }

    /** "45 seconds", "1 minute", "15 minutes" (rounded up). */
    private static String waitTime(long seconds) {
        if (seconds < 60) {
            return seconds == 1 ? "1 second" : seconds + " seconds";
        }
        long minutes = (seconds + 59) / 60;
        return minutes == 1 ? "1 minute" : minutes + " minutes";
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
