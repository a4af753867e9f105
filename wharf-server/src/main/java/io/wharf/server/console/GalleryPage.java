package io.wharf.server.console;

import java.util.List;

/**
 * The gallery: one keyset page of the public repositories matching {@code query}, in name order.
 *
 * @param next the next page's URL; null: this is the last
 */
public record GalleryPage(Frame frame, String query, List<Entry> entries, String next) {

    /**
     * One public repository as the gallery lists it.
     *
     * @param logoUrl     its logo's URL; null: none
     * @param pullCommand the pull command of its most recently written tag; null: no tag
     */
    public record Entry(String name, String href, String description, List<String> architectures,
                        List<String> operatingSystems, String logoUrl, String pullCommand) {
    }
}
