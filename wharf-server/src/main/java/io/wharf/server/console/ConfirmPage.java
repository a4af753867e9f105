package io.wharf.server.console;

/** The confirmation step before something is deleted: what goes, a button that POSTs, and a way back. */
public record ConfirmPage(Frame frame, String heading, String message, String action, String button,
                          String cancelHref) {
}
