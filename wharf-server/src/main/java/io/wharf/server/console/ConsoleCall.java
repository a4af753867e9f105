package io.wharf.server.console;

import io.wharf.core.iam.Principal;
import io.wharf.core.identity.IdentityNames;
import io.wharf.core.model.Digest;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.service.Quotas;
import io.wharf.core.service.RepoKey;
import io.wharf.server.auth.AuthException;
import io.wharf.server.auth.EcrArns;
import io.wharf.server.console.ConsoleSessions.Session;
import io.wharf.server.http.Exchange;
import io.wharf.server.http.QueryString;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** One console request: its exchange, path, session and caller, with the values it names parsed at the edge. */
final class ConsoleCall {
    /** A console form's few fields; a larger form is refused before it is read (see {@link #maxFormBytes}). */
    static final int MAX_FORM_BYTES = 64 << 10;

    private final Exchange exchange;
    private final ConsolePath path;
    private final Session session;
    private final ConsoleContext context;
    private final String sourceIp;
    private QueryString form;

    ConsoleCall(Exchange exchange, ConsolePath path, Session session, ConsoleContext context, String sourceIp) {
        this.exchange = exchange;
        this.path = path;
        this.session = session;
        this.context = context;
        this.sourceIp = sourceIp;
    }

    Exchange exchange() {
        return exchange;
    }

    /** The client's address (the TCP peer), as {@code aws:SourceIp} sees it. */
    String sourceIp() {
        return sourceIp;
    }

    /** The session; null on routes that need none. */
    Session session() {
        return session;
    }

    Principal principal() {
        return session.principal();
    }

    boolean hasRepository() {
        return path.name() != null;
    }

    /** The repository name as the path spells it (not yet validated): for logs and the audit trail. */
    String rawRepositoryName() {
        return path.name();
    }

    /** The repository the path names, in the caller's account. */
    RepoKey repository() {
        return new RepoKey(principal().account(), RepositoryName.parse(path.name(), context.maxNameLength()));
    }

    Digest digest() {
        return Digest.parse(path.digest());
    }

    /** The IAM user the path names, checked as IAM checks user names. */
    String user() {
        return IdentityNames.requireUserName(path.user());
    }

    /** The access key id the path names, checked as IAM checks key ids. */
    String accessKeyId() {
        return IdentityNames.requireAccessKeyId(path.key());
    }

    String query(String name) {
        return exchange.query(name);
    }

    /** A field of the form body ({@code application/x-www-form-urlencoded}); null when absent. */
    String form(String name) throws IOException {
        if (form == null) {
            byte[] body = exchange.readBody(maxFormBytes(), "form");
            form = new QueryString(new String(body, StandardCharsets.UTF_8));
        }
        return form.get(name);
    }

    /**
     * A form's limit: a few fields, plus a policy editor's text of up to the larger policy quota's characters,
     * percent-encoded (a character of three UTF-8 bytes takes nine).
     */
    private int maxFormBytes() {
        Quotas quotas = context.registry().quotas();
        return MAX_FORM_BYTES + 9 * Math.max(quotas.maxPolicyChars(), quotas.maxLifecyclePolicyChars());
    }

    /** Throws {@link AuthException} unless the caller may do {@code action} on {@code arn}. */
    void authorize(String action, String arn) {
        context.auth().authorize(principal(), action, arn, sourceIp);
    }

    /** Whether the caller may do {@code action} on the repository. */
    boolean allowed(String action, RepositoryName name) {
        try {
            authorize(action, arn(name));
            return true;
        } catch (AuthException e) {
            return false;
        }
    }

    String arn(RepositoryName name) {
        return EcrArns.repository(context.region(), principal().account(), name.value());
    }

    /** The authority clients reach this registry by (the Host header): what a pull command names. */
    String registryHost() {
        String host = exchange.header("Host");
        return host == null || host.isBlank() ? "localhost" : host;
    }

    Frame frame(String title) {
        return session == null ? new Frame(title, null, null, context.authDisabled(), null)
                : new Frame(title, principal().arn(), session.csrfToken(), context.authDisabled(), principal().account());
    }

    ConsoleContext context() {
        return context;
    }
}
