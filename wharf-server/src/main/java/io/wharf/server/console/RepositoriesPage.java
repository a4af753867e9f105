package io.wharf.server.console;

import java.util.List;

/**
 * The repository list: one page of the repositories the caller may describe whose names start with
 * {@code prefix}, in name order ({@code sort}: {@code name} A to Z, {@code name-desc} Z to A).
 *
 * @param next the next page's URL; null: this is the last
 */
public record RepositoriesPage(Frame frame, String prefix, String sort, List<Row> rows, String next) {

    /** One repository as the list shows it. */
    public record Row(String name, String href, String uri, String tagMutability, boolean scanOnPush,
                      String encryption, String created, long images, String size) {
    }
}
