package io.wharf.server.console;

/** A new access key with its secret, shown this once: no page shows a secret again, and none is logged. */
public record KeyCreatedPage(Frame frame, String user, String id, String secret, String userHref) {
}
