package io.wharf.core.iam;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Who is calling: the caller's account id and IAM ARN, either the account root
 * ({@code arn:aws:iam::<account>:root}), a user ({@code arn:aws:iam::<account>:user/<path/><name>}) or a role
 * session ({@code arn:aws:sts::<account>:assumed-role/<role>/<session name>}); and, when it signed with temporary
 * credentials, their {@link Session} (null for long-term keys).
 */
public record Principal(String account, String arn, Session session) {

    private static final Pattern ROOT_ARN = Pattern.compile("arn:[a-z0-9-]+:iam::([0-9]+):root");
    private static final Pattern ASSUMED_ROLE = Pattern.compile("arn:[a-z0-9-]+:sts::([0-9]+):assumed-role/([^/]+)/(.+)");

    public Principal {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(arn, "arn");
        if (account.isBlank() || arn.isBlank()) {
            throw new IllegalArgumentException("principal account and arn must not be blank");
        }
    }

    public Principal(String account, String arn) {
        this(account, arn, null);
    }

    /** A session of {@code role} named {@code sessionName} (AssumeRole's RoleSessionName). */
    public static Principal assumedRole(String account, String role, String sessionName, Session session) {
        return new Principal(account, "arn:aws:sts::" + account + ":assumed-role/" + role + "/" + sessionName,
                Objects.requireNonNull(session, "session"));
    }

    public Principal withSession(Session newSession) {
        return new Principal(account, arn, newSession);
    }

    /** The identity alone, without its session: what identity policies are attached to. */
    public Principal identity() {
        return session == null ? this : new Principal(account, arn);
    }

    /** The assumed role's name for a role session, else null. */
    public String roleName() {
        var m = ASSUMED_ROLE.matcher(arn);
        return m.matches() && m.group(1).equals(account) ? m.group(2) : null;
    }

    /** {@code arn:aws:iam::<account>:role/<name>} for a role session (what resource policies name), else null. */
    public String roleArn() {
        String role = roleName();
        return role == null ? null : "arn:aws:iam::" + account + ":role/" + role;
    }

    /** The ARN of {@link #anonymous}: no IAM identity has it. */
    public static final String ANONYMOUS_ARN = "anonymous";

    /**
     * A caller without credentials, let in only to read a public repository of {@code account}; no identity policy
     * applies to it, so every authorization of it is denied.
     */
    public static Principal anonymous(String account) {
        return new Principal(account, ANONYMOUS_ARN);
    }

    public boolean isAnonymous() {
        return ANONYMOUS_ARN.equals(arn);
    }

    public static Principal root(String account) {
        return new Principal(account, "arn:aws:iam::" + account + ":root");
    }

    /** {@code name} may carry an IAM path ({@code ci/builder}). */
    public static Principal user(String account, String name) {
        return new Principal(account, "arn:aws:iam::" + account + ":user/" + name);
    }

    /** True for the root identity of {@link #account()}; identity policies never apply to it. */
    public boolean isRoot() {
        var m = ROOT_ARN.matcher(arn);
        return m.matches() && m.group(1).equals(account);
    }

    /** The user's friendly name (the ARN's last path element), or null if this is not an IAM user. */
    String userName() {
        int at = arn.indexOf(":user/");
        return at < 0 ? null : arn.substring(arn.lastIndexOf('/') + 1);
    }
}
