package io.wharf.server.console;

import io.wharf.core.identity.AccessKey;
import io.wharf.core.identity.Identities;
import io.wharf.core.identity.IdentityException;
import io.wharf.core.identity.IdentityNames;
import io.wharf.core.identity.IamUser;
import io.wharf.core.identity.UserPolicy;
import io.wharf.server.auth.AuthException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * IAM users and their access keys for an administrator, through {@link Identities} as {@code wharf iam} does:
 * list and create users, view a user's keys and inline policies, put a policy, create a key (its secret shown once,
 * on the answer to the POST, never again), activate, deactivate and delete keys, delete users (deletes after a
 * confirmation page). After each change the cached identity policies are dropped, so it applies at once.
 */
final class UserPages {
    static final String USER_FIELD = "user";
    private static final String POLICY_NAME_FIELD = "policy-name";
    private static final String POLICY_FIELD = "policy";

    private final ConsoleContext context;

    UserPages(ConsoleContext context) {
        this.context = context;
    }

    /** The status of the page showing an identity refusal. */
    static int status(IdentityException e) {
        return switch (e.kind()) {
            case NO_SUCH_ENTITY -> 404;
            case ENTITY_ALREADY_EXISTS -> 409;
            case LIMIT_EXCEEDED -> 409;
            case INVALID_INPUT, MALFORMED_POLICY_DOCUMENT -> 400;
        };
    }

    Reply list(ConsoleCall call) {
        return Reply.page("users.jte", usersPage(call, "", null, call.query("deleted") != null ? "Deleted the user "
                + IdentityNames.requireUserName(call.query("deleted")) + "." : null));
    }

    Reply create(ConsoleCall call) throws Exception {
        String name = call.form(USER_FIELD);
        try {
            identities().createUser(account(call), name == null ? "" : name.strip());
        } catch (IdentityException e) {
            return new Reply.Page(status(e), "users.jte", usersPage(call, name == null ? "" : name, e.getMessage(), null));
        }
        changed();
        return Reply.redirect(AdminPaths.user(name.strip()) + "?created=1");
    }

    private UsersPage usersPage(ConsoleCall call, String newUser, String error, String notice) {
        List<UsersPage.Row> rows = identities().listUsers(account(call)).stream()
                .map(u -> new UsersPage.Row(u.name(), AdminPaths.user(u.name()), u.arn(), Format.time(u.createdAt())))
                .toList();
        return new UsersPage(call.frame("Users"), rows, newUser, error, notice);
    }

    Reply show(ConsoleCall call) {
        String notice = call.query("created") != null ? "Created." : call.query("changed") != null ? "Saved." : null;
        return Reply.page("user.jte", userPage(call, notice, "", "", null));
    }

    /** Adds or replaces an inline policy; a refused one comes back in the form with the domain's message. */
    Reply putPolicy(ConsoleCall call) throws Exception {
        String user = call.user();
        String name = orEmpty(call.form(POLICY_NAME_FIELD)).strip();
        String text = orEmpty(PolicyPages.textArea(call, POLICY_FIELD));
        try {
            identities().putUserPolicy(account(call), require(call, user).name(), name, text);
        } catch (IdentityException e) {
            return new Reply.Page(status(e), "user.jte", userPage(call, null, name, text, e.getMessage()));
        }
        changed();
        return Reply.redirect(AdminPaths.user(user) + "?changed=1");
    }

    private UserPage userPage(ConsoleCall call, String notice, String policyName, String policyText, String error) {
        IamUser user = require(call, call.user());
        String arn = user.arn();
        List<UserPage.Key> keys = allowed(call, "iam:ListAccessKeys", arn) ? keys(call, user.name()) : null;
        List<UserPage.Policy> policies = allowed(call, "iam:ListUserPolicies", arn)
                && allowed(call, "iam:GetUserPolicy", arn) ? policies(call, user.name()) : null;
        return new UserPage(call.frame("User " + user.name()), user.name(), arn, Format.time(user.createdAt()), notice,
                keys, keys == null ? "Not shown: listing them needs iam:ListAccessKeys." : null, policies,
                policies == null ? "Not shown: reading them needs iam:ListUserPolicies and iam:GetUserPolicy." : null,
                policyName, policyText, error, AdminPaths.users(), AdminPaths.user(user.name()) + "/keys",
                AdminPaths.user(user.name()) + "/policies", AdminPaths.user(user.name()) + "/delete");
    }

    private List<UserPage.Key> keys(ConsoleCall call, String user) {
        return identities().listAccessKeys(account(call), user).stream().map(k -> {
            String next = k.status() == AccessKey.Status.ACTIVE ? AccessKey.Status.INACTIVE.wire()
                    : AccessKey.Status.ACTIVE.wire();
            return new UserPage.Key(k.id(), k.status().wire(), Format.time(k.createdAt()),
                    AdminPaths.accessKey(user, k.id(), "status"), next, AdminPaths.accessKey(user, k.id(), "delete"));
        }).toList();
    }

    private List<UserPage.Policy> policies(ConsoleCall call, String user) {
        return identities().listUserPolicies(account(call), user).stream().map(UserPages::policy).toList();
    }

    private static UserPage.Policy policy(UserPolicy p) {
        return new UserPage.Policy(p.name(), ManifestJson.pretty(p.document().getBytes(StandardCharsets.UTF_8)));
    }

    Reply confirmDelete(ConsoleCall call) {
        String user = require(call, call.user()).name();
        return Reply.page("confirm.jte", new ConfirmPage(call.frame("Delete user " + user), "Delete the user " + user
                + "?", "This deletes the user " + user + " with its access keys and policies.",
                AdminPaths.user(user) + "/delete", "Delete the user", AdminPaths.user(user)));
    }

    Reply delete(ConsoleCall call) {
        String user = call.user();
        identities().deleteUser(account(call), user);
        changed();
        return Reply.redirect(AdminPaths.users() + "?deleted=" + user);
    }

    /**
     * A new key, answered with its secret on this page only (no redirect: the secret is in no URL, stored nowhere
     * the console reads again, and never logged). Reloading would post again and make another key, as IAM would.
     */
    Reply createKey(ConsoleCall call) {
        String user = require(call, call.user()).name();
        AccessKey key = identities().createAccessKey(account(call), user);
        changed();
        return Reply.page("keyCreated.jte", new KeyCreatedPage(call.frame("New access key"), user, key.id(),
                key.secret(), AdminPaths.user(user)));
    }

    Reply setKeyStatus(ConsoleCall call) throws Exception {
        String user = call.user();
        AccessKey key = keyOf(call, user);
        String wanted = orEmpty(call.form("status"));
        AccessKey.Status status = switch (wanted) {
            case "Active" -> AccessKey.Status.ACTIVE;
            case "Inactive" -> AccessKey.Status.INACTIVE;
            default -> throw new IdentityException(IdentityException.Kind.INVALID_INPUT,
                    "status must be Active or Inactive, not '" + wanted + "'");
        };
        identities().setAccessKeyStatus(account(call), key.id(), status);
        changed();
        return Reply.redirect(AdminPaths.user(user) + "?changed=1");
    }

    Reply confirmDeleteKey(ConsoleCall call) {
        String user = call.user();
        AccessKey key = keyOf(call, user);
        return Reply.page("confirm.jte", new ConfirmPage(call.frame("Delete access key"), "Delete the access key "
                + key.id() + "?", "Whoever uses the key " + key.id() + " of " + user + " is refused from now on.",
                AdminPaths.accessKey(user, key.id(), "delete"), "Delete the key", AdminPaths.user(user)));
    }

    Reply deleteKey(ConsoleCall call) {
        String user = call.user();
        identities().deleteAccessKey(account(call), keyOf(call, user).id());
        changed();
        return Reply.redirect(AdminPaths.user(user) + "?changed=1");
    }

    /** The key the path names, which must be one of the user's (the user's ARN is what was authorized). */
    private AccessKey keyOf(ConsoleCall call, String user) {
        String id = call.accessKeyId();
        return identities().listAccessKeys(account(call), user).stream().filter(k -> k.id().equals(id)).findFirst()
                .orElseThrow(() -> new IdentityException(IdentityException.Kind.NO_SUCH_ENTITY,
                        "The user " + user + " has no access key " + id + "."));
    }

    private IamUser require(ConsoleCall call, String user) {
        return identities().store().findUser(account(call), user)
                .orElseThrow(() -> IdentityException.noSuchUser(account(call), user));
    }

    private Identities identities() {
        Identities ids = context.admin().identities();
        if (ids == null) {
            throw new IdentityException(IdentityException.Kind.NO_SUCH_ENTITY,
                    "Authentication is disabled (auth.enabled: false): there are no users or access keys to manage.");
        }
        return ids;
    }

    private void changed() {
        context.admin().identitiesChanged().run();
    }

    private static boolean allowed(ConsoleCall call, String action, String arn) {
        try {
            call.authorize(action, arn);
            return true;
        } catch (AuthException e) {
            return false;
        }
    }

    private static String account(ConsoleCall call) {
        return call.principal().account();
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
