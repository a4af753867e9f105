package io.wharf.server.console;

import java.util.List;

/**
 * A public repository in the gallery: its catalog data (texts shown as escaped text, never as HTML), its tags most
 * recently written first (a keyset page) and their pull commands.
 *
 * @param logoUrl its logo's URL; null: none
 * @param next    the next page of tags' URL; null: this is the last
 */
public record GalleryRepositoryPage(Frame frame, String name, String uri, String description, String aboutText,
                                    String usageText, List<String> architectures, List<String> operatingSystems,
                                    String logoUrl, List<TagRow> tags, String next) {

    /** A tag, the image it names and the command that pulls it. */
    public record TagRow(String tag, String digest, String shortDigest, String updated, String pullCommand) {
    }
}
