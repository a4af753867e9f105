package io.wharf.server.console;

import io.wharf.core.identity.IdentityException;
import io.wharf.core.identity.IdentityNames;
import io.wharf.server.console.ConsolePath.Kind;
import io.wharf.server.console.ConsoleRoutes.Endpoint;
import io.wharf.server.console.ConsoleRoutes.Route;
import java.util.List;

/**
 * The administration pages' part of the route table ({@link ConsoleRoutes}). A repository's policy pages are
 * authorized by the handler on the repository's ARN, like the image pages. The registry's settings and the IAM
 * pages name no repository: their routes authorize here, before the endpoint, on the resource the API would —
 * {@code *} for registry-wide ECR actions (as the ECR API does), the user's ARN for IAM actions.
 */
final class AdminRoutes {

    /** The resource a route is authorized on, from its call. */
    @FunctionalInterface
    interface Resource {
        String of(ConsoleCall call) throws Exception;
    }

    private AdminRoutes() {
    }

    static List<Route> table(ConsoleContext context) {
        PolicyPages p = new PolicyPages(context);
        SettingsPages s = new SettingsPages(context);
        UserPages u = new UserPages(context);
        return List.of(
                repo("RepositoryPolicy", Kind.REPOSITORY_POLICY, "GET", p::repositoryPolicy, "ecr:GetRepositoryPolicy"),
                repo("SetRepositoryPolicy", Kind.REPOSITORY_POLICY, "POST", p::setRepositoryPolicy,
                        "ecr:SetRepositoryPolicy"),
                repo("ConfirmDeleteRepositoryPolicy", Kind.DELETE_REPOSITORY_POLICY, "GET",
                        p::confirmDeleteRepositoryPolicy, "ecr:DeleteRepositoryPolicy"),
                repo("DeleteRepositoryPolicy", Kind.DELETE_REPOSITORY_POLICY, "POST", p::deleteRepositoryPolicy,
                        "ecr:DeleteRepositoryPolicy"),
                repo("LifecyclePolicy", Kind.LIFECYCLE_POLICY, "GET", p::lifecyclePolicy, "ecr:GetLifecyclePolicy"),
                repo("PutLifecyclePolicy", Kind.LIFECYCLE_POLICY, "POST", p::putLifecyclePolicy,
                        "ecr:PutLifecyclePolicy"),
                repo("ConfirmDeleteLifecyclePolicy", Kind.DELETE_LIFECYCLE_POLICY, "GET",
                        p::confirmDeleteLifecyclePolicy, "ecr:DeleteLifecyclePolicy"),
                repo("DeleteLifecyclePolicy", Kind.DELETE_LIFECYCLE_POLICY, "POST", p::deleteLifecyclePolicy,
                        "ecr:DeleteLifecyclePolicy"),
                repo("PreviewLifecyclePolicy", Kind.LIFECYCLE_PREVIEW, "POST", p::previewLifecyclePolicy,
                        "ecr:StartLifecyclePolicyPreview"),
                // each section of the page is authorized again with its own read action
                account("Settings", Kind.SETTINGS, "GET", s::show, SettingsPages.DESCRIBE_REGISTRY, call -> "*"),
                account("RegistryPolicy", Kind.REGISTRY_POLICY, "GET", p::registryPolicy, "ecr:GetRegistryPolicy",
                        call -> "*"),
                account("PutRegistryPolicy", Kind.REGISTRY_POLICY, "POST", p::putRegistryPolicy,
                        "ecr:PutRegistryPolicy", call -> "*"),
                account("ConfirmDeleteRegistryPolicy", Kind.DELETE_REGISTRY_POLICY, "GET",
                        p::confirmDeleteRegistryPolicy, "ecr:DeleteRegistryPolicy", call -> "*"),
                account("DeleteRegistryPolicy", Kind.DELETE_REGISTRY_POLICY, "POST", p::deleteRegistryPolicy,
                        "ecr:DeleteRegistryPolicy", call -> "*"),
                account("Users", Kind.USERS, "GET", u::list, "iam:ListUsers", AdminRoutes::anyUser),
                account("CreateUser", Kind.USERS, "POST", u::create, "iam:CreateUser",
                        call -> userArn(call, call.form(UserPages.USER_FIELD))),
                account("User", Kind.USER, "GET", u::show, "iam:GetUser", AdminRoutes::pathUser),
                account("ConfirmDeleteUser", Kind.DELETE_USER, "GET", u::confirmDelete, "iam:DeleteUser",
                        AdminRoutes::pathUser),
                account("DeleteUser", Kind.DELETE_USER, "POST", u::delete, "iam:DeleteUser", AdminRoutes::pathUser),
                account("PutUserPolicy", Kind.USER_POLICY, "POST", u::putPolicy, "iam:PutUserPolicy",
                        AdminRoutes::pathUser),
                account("CreateAccessKey", Kind.ACCESS_KEYS, "POST", u::createKey, "iam:CreateAccessKey",
                        AdminRoutes::pathUser),
                account("UpdateAccessKey", Kind.ACCESS_KEY_STATUS, "POST", u::setKeyStatus, "iam:UpdateAccessKey",
                        AdminRoutes::pathUser),
                account("ConfirmDeleteAccessKey", Kind.DELETE_ACCESS_KEY, "GET", u::confirmDeleteKey,
                        "iam:DeleteAccessKey", AdminRoutes::pathUser),
                account("DeleteAccessKey", Kind.DELETE_ACCESS_KEY, "POST", u::deleteKey, "iam:DeleteAccessKey",
                        AdminRoutes::pathUser));
    }

    private static Route repo(String name, Kind kind, String method, Endpoint endpoint, String action) {
        return new Route(name, kind, method, endpoint, action, true);
    }

    /** A route that names no repository: authorized on {@code resource}, then run; identity refusals as pages. */
    private static Route account(String name, Kind kind, String method, Endpoint endpoint, String action,
                                 Resource resource) {
        Endpoint guarded = call -> {
            try {
                call.authorize(action, resource.of(call));
                return endpoint.handle(call);
            } catch (IdentityException e) {
                int status = UserPages.status(e);
                return new Reply.Page(status, "error.jte", ErrorPage.of(call.frame("Error"), status, e.getMessage()));
            }
        };
        return new Route(name, kind, method, guarded, action, true);
    }

    private static String pathUser(ConsoleCall call) {
        return IdentityNames.userArn(call.principal().account(), call.user());
    }

    private static String anyUser(ConsoleCall call) {
        return IdentityNames.userArn(call.principal().account(), "*");
    }

    /** The ARN of the user a form names, unchecked (the endpoint checks the name and says what is wrong). */
    private static String userArn(ConsoleCall call, String user) {
        return IdentityNames.userArn(call.principal().account(), user == null ? "" : user);
    }
}
