package io.wharf.server.console;

import io.wharf.server.console.ConsolePath.Kind;
import java.util.List;

/**
 * The console's route table: every page and form action, the IAM action it is authorized as (the APIs' own
 * action names, so one policy governs both) and whether it needs a session. A route whose path names a
 * repository is authorized on that repository's ARN before its endpoint runs; the repository list authorizes each
 * row instead, so a user sees exactly the repositories they may describe. The administration pages' routes
 * (policies, settings, users and keys) are {@link AdminRoutes}'s.
 */
final class ConsoleRoutes {
    static final String DESCRIBE_REPOSITORIES = "ecr:DescribeRepositories";

    @FunctionalInterface
    interface Endpoint {
        Reply handle(ConsoleCall call) throws Exception;
    }

    /**
     * @param name     the route's name in logs
     * @param action   the IAM action; null: none (sign-in, sign-out)
     * @param signedIn whether the route needs a session (a POST's CSRF token is then checked against it)
     */
    record Route(String name, Kind kind, String method, Endpoint endpoint, String action, boolean signedIn) {
    }

    static List<Route> table(SignInPages signIn, RepositoryPages repositories, ImagePages images) {
        return List.of(
                new Route("SignInForm", Kind.SIGN_IN, "GET", signIn::form, null, false),
                new Route("SignIn", Kind.SIGN_IN, "POST", signIn::signIn, null, false),
                new Route("SignOut", Kind.SIGN_OUT, "POST", signIn::signOut, null, true),
                new Route("Repositories", Kind.REPOSITORIES, "GET", repositories::list, DESCRIBE_REPOSITORIES, true),
                new Route("Images", Kind.IMAGES, "GET", images::list, "ecr:DescribeImages", true),
                new Route("Image", Kind.IMAGE, "GET", images::show, "ecr:BatchGetImage", true),
                new Route("ConfirmDeleteImage", Kind.DELETE_IMAGE, "GET", images::confirmDelete,
                        "ecr:BatchDeleteImage", true),
                new Route("DeleteImage", Kind.DELETE_IMAGE, "POST", images::delete, "ecr:BatchDeleteImage", true));
    }

    private ConsoleRoutes() {
    }
}
