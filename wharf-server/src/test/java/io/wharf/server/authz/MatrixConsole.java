package io.wharf.server.authz;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.EnumMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The console's side of the matrix: each principal signs in once through the real form with its registry password
 * (temporary credentials sign in that way too), and its session's cookie and CSRF token are reused for every page.
 * Form POSTs carry the CSRF token and no fields, so an allowed one fails on its missing input after authorization;
 * paths name the matrix's repository, a user and a key that do not exist, or an absent digest for deletions.
 */
final class MatrixConsole {
    private static final String SESSION_COOKIE = "wharf_console";
    private static final String SIGN_IN_COOKIE = "wharf_console_signin";
    private static final Pattern FORM_TOKEN = Pattern.compile("name=\"form-token\" value=\"([^\"]+)\"");
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    private static final String USER = "/console/users/no-such-user";
    private static final String KEY = USER + "/keys/AKIANOSUCHKEY0000000";

    private record Session(String cookie, String csrf) {
    }

    private final MatrixServer server;
    private final Map<MatrixPrincipal, Session> sessions = new EnumMap<>(MatrixPrincipal.class);

    MatrixConsole(MatrixServer server) {
        this.server = server;
    }

    HttpResponse<String> probe(String route, MatrixPrincipal who) throws Exception {
        if (route.equals("SignIn")) {
            return signIn(who);
        }
        Session s = route.equals("SignOut") ? fresh(who) : session(who);
        String repo = "/console/repositories/" + MatrixServer.REPO + "/-/";
        String image = repo + "images/" + server.manifestDigest;
        String[] req = switch (route) {
            case "SignInForm" -> get("/console/sign-in");
            case "SignOut" -> post("/console/sign-out");
            case "Repositories" -> get("/console/");
            case "Images" -> get("/console/repositories/" + MatrixServer.REPO);
            case "Image" -> get(image);
            case "ConfirmDeleteImage" -> get(image + "/delete");
            case "DeleteImage" -> post(repo + "images/" + MatrixProbes.ABSENT_DIGEST + "/delete");
            case "RepositoryPolicy" -> get(repo + "policy");
            case "SetRepositoryPolicy" -> post(repo + "policy");
            case "ConfirmDeleteRepositoryPolicy" -> get(repo + "policy/delete");
            case "DeleteRepositoryPolicy" -> post(repo + "policy/delete");
            case "LifecyclePolicy" -> get(repo + "lifecycle");
            case "PutLifecyclePolicy" -> post(repo + "lifecycle");
            case "ConfirmDeleteLifecyclePolicy" -> get(repo + "lifecycle/delete");
            case "DeleteLifecyclePolicy" -> post(repo + "lifecycle/delete");
            case "PreviewLifecyclePolicy" -> post(repo + "lifecycle/preview");
            case "Settings" -> get("/console/settings");
            case "RegistryPolicy" -> get("/console/settings/registry-policy");
            case "PutRegistryPolicy" -> post("/console/settings/registry-policy");
            case "ConfirmDeleteRegistryPolicy" -> get("/console/settings/registry-policy/delete");
            case "DeleteRegistryPolicy" -> post("/console/settings/registry-policy/delete");
            case "Users" -> get("/console/users");
            case "CreateUser" -> post("/console/users");
            case "User" -> get(USER);
            case "ConfirmDeleteUser" -> get(USER + "/delete");
            case "DeleteUser" -> post(USER + "/delete");
            case "PutUserPolicy" -> post(USER + "/policies");
            case "CreateAccessKey" -> post(USER + "/keys");
            case "UpdateAccessKey" -> post(KEY + "/status");
            case "ConfirmDeleteAccessKey" -> get(KEY + "/delete");
            case "DeleteAccessKey" -> post(KEY + "/delete");
            case "Gallery" -> get("/console/gallery");
            case "GalleryRepository" -> get("/console/gallery/" + MatrixServer.PUBLIC_REPO);
            case "LayerInsight" -> get(image + "/insight");
            case "LayerTree" -> get(image + "/insight/tree");
            default -> throw new IllegalArgumentException("no request for console route " + route);
        };
        boolean post = req[0].equals("POST");
        HttpRequest.Builder r = HttpRequest.newBuilder(server.endpoint().resolve(req[1]))
                .method(req[0], post ? HttpRequest.BodyPublishers.ofString(s == null ? "" : "csrf=" + enc(s.csrf()))
                        : HttpRequest.BodyPublishers.noBody());
        if (post) {
            r.header("Content-Type", "application/x-www-form-urlencoded");
        }
        if (s != null) {
            r.header("Cookie", SESSION_COOKIE + "=" + s.cookie());
        }
        return server.send(r.build());
    }

    private static String[] get(String path) {
        return new String[] {"GET", path};
    }

    private static String[] post(String path) {
        return new String[] {"POST", path};
    }

    /** Who has no console session: the anonymous caller, and temporary credentials (their sign-in is refused). */
    static boolean signedOut(MatrixPrincipal who) {
        return who == MatrixPrincipal.ANONYMOUS || who == MatrixPrincipal.SESSION || who == MatrixPrincipal.MFA_SESSION
                || who == MatrixPrincipal.ROLE_SESSION;
    }

    private Session session(MatrixPrincipal who) throws Exception {
        if (signedOut(who)) {
            return null;
        }
        Session s = sessions.get(who);
        if (s == null) {
            s = fresh(who);
            sessions.put(who, s);
        }
        return s;
    }

    /** A new session (sign-out ends the one it is given); none for those {@link #signedOut}. */
    private Session fresh(MatrixPrincipal who) throws Exception {
        if (signedOut(who)) {
            return null;
        }
        HttpResponse<String> r = signIn(who);
        String cookie = cookie(r, SESSION_COOKIE);
        HttpResponse<String> home = server.send(HttpRequest.newBuilder(server.endpoint().resolve("/console/"))
                .header("Cookie", SESSION_COOKIE + "=" + cookie).build());
        return new Session(cookie, find(CSRF, home.body()));
    }

    /** The sign-in form's POST with the principal's registry password (the anonymous caller's: empty). */
    private HttpResponse<String> signIn(MatrixPrincipal who) throws Exception {
        HttpResponse<String> form = server.send(HttpRequest.newBuilder(server.endpoint().resolve("/console/sign-in")).build());
        String basic = server.creds.get(who).registryAuthorization();
        String password = basic == null ? ""
                : new String(Base64.getDecoder().decode(basic.substring("Basic ".length())), UTF_8).substring("AWS:".length());
        String body = "form-token=" + enc(find(FORM_TOKEN, form.body())) + "&registry-password=" + enc(password);
        return server.send(HttpRequest.newBuilder(server.endpoint().resolve("/console/sign-in"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Cookie", SIGN_IN_COOKIE + "=" + cookie(form, SIGN_IN_COOKIE))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static String cookie(HttpResponse<String> r, String name) {
        return r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(name + "=")).findFirst()
                .map(c -> c.substring(name.length() + 1, c.indexOf(';'))).orElseThrow(() ->
                        new AssertionError("no " + name + " cookie: " + r.statusCode() + " " + r.body()));
    }

    private static String find(Pattern p, String body) {
        Matcher m = p.matcher(body);
        if (!m.find()) {
            throw new AssertionError("no " + p + " in " + body);
        }
        return m.group(1);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, UTF_8);
    }
}
