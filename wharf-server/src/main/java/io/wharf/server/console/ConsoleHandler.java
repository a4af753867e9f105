package io.wharf.server.console;

import io.wharf.core.error.RegistryException;
import io.wharf.core.iam.Principal;
import io.wharf.server.auth.AuthException;
import io.wharf.server.console.ConsolePath.Kind;
import io.wharf.server.console.ConsoleRoutes.Route;
import io.wharf.server.console.ConsoleSessions.Session;
import io.wharf.server.http.Exchange;
import io.wharf.server.http.MalformedQueryException;
import io.wharf.server.observe.RequestFacts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web console under {@code /console/} (docs/console.md), and {@code GET /} redirected to it: a browser
 * pointed at the registry lands on the console, while {@code POST /} stays the ECR API's. Finds the route
 * ({@link ConsoleRoutes}), the session, checks the CSRF token of every signed-in POST and the route's IAM action,
 * runs the endpoint and renders its page.
 */
public final class ConsoleHandler extends Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleHandler.class);
    private static final String CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self';"
            + " object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private final ConsoleContext context;
    private final ConsoleSessions sessions;
    private final Cookies cookies;
    private final List<Route> routes;
    private final Templates templates = new Templates();
    private final StaticAssets assets = new StaticAssets();

    /** @param pages the gallery's and layer insight's routes ({@link PageRoutes}) */
    ConsoleHandler(ConsoleContext context, ConsoleSessions sessions, Cookies cookies, SignInThrottle throttle,
                   List<Route> pages) {
        this.context = context;
        this.sessions = sessions;
        this.cookies = cookies;
        SignInPages signIn = new SignInPages(context, sessions, cookies, throttle);
        this.routes = java.util.stream.Stream.of(ConsoleRoutes.table(signIn, new RepositoryPages(context),
                new ImagePages(context)), AdminRoutes.table(context), pages).flatMap(List::stream).toList();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Exchange ex = new Exchange(request, response);
        String method = ex.method();
        // Only a bare "/": a GET of "/" with a query is a presigned STS or ECR call, for the handlers behind this one.
        if (ex.rawPath().equals("/") && request.getHttpURI().getQuery() == null
                && (method.equals("GET") || method.equals("HEAD"))) {
            return redirect(ex, callback, ConsolePath.PREFIX);
        }
        ConsolePath path = ConsolePath.parse(ex.rawPath());
        if (path == null) {
            return false;
        }
        securityHeaders(ex);
        try {
            serve(ex, path, Request.getRemoteAddr(request));
            callback.succeeded();
        } catch (EofException e) {
            callback.failed(e); // the browser went away
        } catch (Exception e) {
            LOG.error("{} {} failed", method, ex.rawPath(), e);
            answer(ex, callback, new Reply.Page(500, "error.jte", ErrorPage.of(null, 500, "Something went wrong.")));
        }
        return true;
    }

    private void serve(Exchange ex, ConsolePath path, String sourceIp) throws Exception {
        if (path.kind() == Kind.STATIC) {
            if (!assets.serve(ex, path.file())) {
                send(ex, new Reply.Page(404, "error.jte", ErrorPage.of(null, 404, "No such file.")));
            }
            return;
        }
        Route route = route(path.kind(), ex.method());
        if (route == null) {
            send(ex, new Reply.Page(path.kind() == Kind.UNKNOWN ? 404 : 405, "error.jte",
                    ErrorPage.of(null, path.kind() == Kind.UNKNOWN ? 404 : 405, "There is no such page.")));
            return;
        }
        // a page anyone may read starts no session: an anonymous visitor gets no cookie
        Session session = PagePaths.isPublic(path.kind())
                ? sessions.resolve(Cookies.read(ex.request(), Cookies.SESSION)).orElse(null) : session(ex);
        ConsoleCall call = new ConsoleCall(ex, path, session, context, sourceIp);
        observe(ex, route, call);
        send(ex, run(route, call));
    }

    /** The route's checks, then its endpoint; refusals and domain failures become error pages. */
    private Reply run(Route route, ConsoleCall call) throws Exception {
        Session session = call.session();
        if (route.signedIn() && session == null) {
            return call.exchange().method().equals("GET") ? Reply.redirect("/console/sign-in")
                    : new Reply.Page(403, "error.jte", ErrorPage.of(call.frame("Signed out"), 403,
                    "Your session has ended. Sign in again."));
        }
        call.exchange().setHeader("Cache-Control", "no-store");
        try {
            if (route.signedIn() && call.exchange().method().equals("POST")
                    && !ConsoleSessions.tokenMatches(session.csrfToken(), call.form("csrf"))) {
                return new Reply.Page(403, "error.jte", ErrorPage.of(call.frame("Refused"), 403,
                        "This form did not come from your console session (its CSRF token is missing or wrong)."
                                + " Reload the page and try again."));
            }
            if (route.action() != null && call.hasRepository()) {
                call.authorize(route.action(), call.arn(call.repository().name()));
            }
            return route.endpoint().handle(call);
        } catch (AuthException e) {
            return new Reply.Page(403, "error.jte", ErrorPage.of(call.frame("Not allowed"), 403, e.getMessage()));
        } catch (RegistryException e) {
            int status = ConsoleErrors.status(e);
            return new Reply.Page(status, "error.jte", ErrorPage.of(call.frame("Error"), status, e.getMessage()));
        } catch (MalformedQueryException e) {
            return new Reply.Page(400, "error.jte", ErrorPage.of(call.frame("Error"), 400, e.getMessage()));
        }
    }

    /**
     * What metrics and the audit trail record of the request: the route's name, its IAM action and the caller;
     * page views are reads (sampled as pulls are), form posts are recorded.
     */
    private static void observe(Exchange ex, Route route, ConsoleCall call) {
        String action = route.action() == null ? null : route.action().substring(route.action().indexOf(':') + 1);
        RequestFacts facts = RequestFacts.begin(ex.request(), RequestFacts.Api.CONSOLE).operation(route.name())
                .action(action);
        if (call.session() != null) {
            facts.principal(call.principal()).account(call.principal().account());
        }
        if (call.hasRepository()) {
            facts.repository(call.rawRepositoryName());
        }
    }

    /** The live session; with authentication off, a root session is started at once (no form to fill). */
    private Session session(Exchange ex) {
        Session found = sessions.resolve(Cookies.read(ex.request(), Cookies.SESSION)).orElse(null);
        if (found == null && context.authDisabled()) {
            ConsoleSessions.Started started = sessions.start(Principal.root(context.account()));
            cookies.set(ex, Cookies.SESSION, started.cookieId());
            return started.session();
        }
        return found;
    }

    /** Every route's name ({@code SignIn}, {@code Users}), in table order: the authorization matrix test covers each. */
    public List<String> routeNames() {
        return routes.stream().map(Route::name).toList();
    }

    private Route route(Kind kind, String method) {
        String m = method.equals("HEAD") ? "GET" : method;
        return routes.stream().filter(r -> r.kind() == kind && r.method().equals(m)).findFirst().orElse(null);
    }

    private void send(Exchange ex, Reply reply) throws IOException {
        switch (reply) {
            case Reply.Redirect r -> {
                ex.setHeader("Location", r.location());
                ex.sendEmpty(303);
            }
            case Reply.Page p -> ex.send(p.status(), "text/html; charset=utf-8",
                    templates.render(p.template(), p.model()).getBytes(StandardCharsets.UTF_8));
        }
    }

    private void answer(Exchange ex, Callback callback, Reply reply) {
        try {
            send(ex, reply);
            callback.succeeded();
        } catch (IOException | RuntimeException e) {
            callback.failed(e);
        }
    }

    private static boolean redirect(Exchange ex, Callback callback, String location) {
        try {
            ex.setHeader("Location", location);
            ex.sendEmpty(302);
            callback.succeeded();
        } catch (IOException e) {
            callback.failed(e);
        }
        return true;
    }

    private static void securityHeaders(Exchange ex) {
        ex.setHeader("Content-Security-Policy", CSP);
        ex.setHeader("X-Frame-Options", "DENY");
        ex.setHeader("X-Content-Type-Options", "nosniff");
        ex.setHeader("Referrer-Policy", "same-origin");
    }
}
