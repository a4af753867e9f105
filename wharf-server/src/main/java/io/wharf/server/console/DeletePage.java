package io.wharf.server.console;

import java.util.List;

/** The confirmation step before an image is deleted: what goes (the image and all its tags). */
public record DeletePage(Frame frame, String name, String digest, List<String> tags, String action,
                         String cancelHref) {
}
