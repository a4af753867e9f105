package io.wharf.server.console;

import io.wharf.server.console.ConsolePath.Kind;

/**
 * The paths of the administration pages, taken apart as {@link ConsolePath} does (texts still unparsed).
 *
 * <pre>
 * /console/repositories/&lt;name&gt;/-/policy[/delete]              REPOSITORY_POLICY, DELETE_REPOSITORY_POLICY
 * /console/repositories/&lt;name&gt;/-/lifecycle[/delete|/preview]  LIFECYCLE_POLICY, DELETE_LIFECYCLE_POLICY, LIFECYCLE_PREVIEW
 * /console/settings                                          SETTINGS
 * /console/settings/registry-policy[/delete]                 REGISTRY_POLICY, DELETE_REGISTRY_POLICY
 * /console/users, /console/users/&lt;user&gt;[/delete]              USERS, USER, DELETE_USER
 * /console/users/&lt;user&gt;/policies                               USER_POLICY
 * /console/users/&lt;user&gt;/keys                                   ACCESS_KEYS
 * /console/users/&lt;user&gt;/keys/&lt;id&gt;/status|delete               ACCESS_KEY_STATUS, DELETE_ACCESS_KEY
 * </pre>
 */
final class AdminPaths {
    private static final String REPOSITORIES = ConsolePath.PREFIX + "repositories/";
    private static final String USERS = ConsolePath.PREFIX + "users";
    private static final String SETTINGS = ConsolePath.PREFIX + "settings";
    private static final String REGISTRY_POLICY = SETTINGS + "/registry-policy";

    private AdminPaths() {
    }

    /** Null when the path is none of the administration pages. */
    static ConsolePath parse(String rawPath) {
        if (rawPath.equals(SETTINGS)) {
            return of(Kind.SETTINGS, null, null);
        }
        if (rawPath.equals(REGISTRY_POLICY)) {
            return of(Kind.REGISTRY_POLICY, null, null);
        }
        if (rawPath.equals(REGISTRY_POLICY + "/delete")) {
            return of(Kind.DELETE_REGISTRY_POLICY, null, null);
        }
        if (rawPath.equals(USERS)) {
            return of(Kind.USERS, null, null);
        }
        if (rawPath.startsWith(USERS + "/")) {
            return user(rawPath.substring(USERS.length() + 1).split("/", -1));
        }
        return rawPath.startsWith(REPOSITORIES) ? repository(rawPath.substring(REPOSITORIES.length())) : null;
    }

    private static ConsolePath repository(String rest) {
        for (Kind kind : new Kind[] {Kind.REPOSITORY_POLICY, Kind.DELETE_REPOSITORY_POLICY, Kind.LIFECYCLE_POLICY,
                Kind.DELETE_LIFECYCLE_POLICY, Kind.LIFECYCLE_PREVIEW}) {
            String suffix = suffix(kind);
            if (rest.endsWith(suffix) && rest.length() > suffix.length()) {
                return repository(kind, rest.substring(0, rest.length() - suffix.length()));
            }
        }
        // after a name's separator, only the image pages are ConsolePath's
        return rest.contains("/-/") && !rest.contains("/-/images/") ? unknown() : null;
    }

    private static String suffix(Kind kind) {
        return switch (kind) {
            case REPOSITORY_POLICY -> "/-/policy";
            case DELETE_REPOSITORY_POLICY -> "/-/policy/delete";
            case LIFECYCLE_POLICY -> "/-/lifecycle";
            case DELETE_LIFECYCLE_POLICY -> "/-/lifecycle/delete";
            case LIFECYCLE_PREVIEW -> "/-/lifecycle/preview";
            default -> throw new IllegalArgumentException(kind.name());
        };
    }

    private static ConsolePath user(String[] parts) {
        String user = parts[0];
        if (user.isEmpty()) {
            return unknown();
        }
        return switch (parts.length) {
            case 1 -> of(Kind.USER, user, null);
            case 2 -> switch (parts[1]) {
                case "delete" -> of(Kind.DELETE_USER, user, null);
                case "keys" -> of(Kind.ACCESS_KEYS, user, null);
                case "policies" -> of(Kind.USER_POLICY, user, null);
                default -> unknown();
            };
            case 4 -> !parts[1].equals("keys") || parts[2].isEmpty() ? unknown() : switch (parts[3]) {
                case "status" -> of(Kind.ACCESS_KEY_STATUS, user, parts[2]);
                case "delete" -> of(Kind.DELETE_ACCESS_KEY, user, parts[2]);
                default -> unknown();
            };
            default -> unknown();
        };
    }

    // the only two places that build a ConsolePath

    private static ConsolePath repository(Kind kind, String name) {
        return new ConsolePath(kind, name, null);
    }

    private static ConsolePath of(Kind kind, String user, String key) {
        return new ConsolePath(kind, null, null, null, user, key);
    }

    private static ConsolePath unknown() {
        return of(Kind.UNKNOWN, null, null);
    }

    static String repositoryPolicy(String name) {
        return REPOSITORIES + name + suffix(Kind.REPOSITORY_POLICY);
    }

    static String deleteRepositoryPolicy(String name) {
        return REPOSITORIES + name + suffix(Kind.DELETE_REPOSITORY_POLICY);
    }

    static String lifecyclePolicy(String name) {
        return REPOSITORIES + name + suffix(Kind.LIFECYCLE_POLICY);
    }

    static String deleteLifecyclePolicy(String name) {
        return REPOSITORIES + name + suffix(Kind.DELETE_LIFECYCLE_POLICY);
    }

    static String lifecyclePreview(String name) {
        return REPOSITORIES + name + suffix(Kind.LIFECYCLE_PREVIEW);
    }

    static String settings() {
        return SETTINGS;
    }

    static String registryPolicy() {
        return REGISTRY_POLICY;
    }

    static String deleteRegistryPolicy() {
        return REGISTRY_POLICY + "/delete";
    }

    static String users() {
        return USERS;
    }

    static String user(String user) {
        return USERS + "/" + user;
    }

    static String accessKey(String user, String id, String action) {
        return user(user) + "/keys/" + id + "/" + action;
    }
}
