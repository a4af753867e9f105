package io.wharf.server.console;

/** What a console endpoint answers: a rendered page or a redirect (after a form's POST, or to sign in). */
sealed interface Reply {

    /** {@code template} rendered with its one parameter {@code model}. */
    record Page(int status, String template, Object model) implements Reply {
    }

    record Redirect(String location) implements Reply {
    }

    static Reply page(String template, Object model) {
        return new Page(200, template, model);
    }

    static Reply redirect(String location) {
        return new Redirect(location);
    }
}
