package io.wharf.server.console;

/** An error page: its status and what went wrong, in words for a person. */
public record ErrorPage(Frame frame, int status, String message) {

    /** {@code frame} null: a page outside any session. */
    static ErrorPage of(Frame frame, int status, String message) {
        return new ErrorPage(frame == null ? new Frame("Error", null, null, false, null) : frame, status, message);
    }

    public String heading() {
        return switch (status) {
            case 400 -> "Bad request";
            case 403 -> "Not allowed";
            case 404 -> "Not found";
            case 405 -> "Not allowed here";
            case 409 -> "Conflict";
            default -> status >= 500 ? "Server error" : "Error";
        };
    }
}
