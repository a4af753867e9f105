package io.wharf.server.console;

import java.util.List;

/**
 * A repository's images, one keyset page in digest order.
 *
 * @param filter  {@code any}, {@code tagged} or {@code untagged}
 * @param deleted the digest just deleted (shown once); null: none
 * @param next    the next page's URL; null: this is the last
 */
public record ImagesPage(Frame frame, String name, String uri, String filter, List<Row> rows, String deleted,
                         String next) {

    /**
     * One image.
     *
     * @param platforms of an index: its children's {@code os/architecture[/variant]}
     * @param scan      scan status ({@code none} without a scan)
     * @param severities finding counts by severity, most severe first
     */
    public record Row(String digest, String shortDigest, String href, List<String> tags, String mediaType,
                      String artifactType, List<String> platforms, String size, String pushedAt, String lastPulled,
                      String scan, List<Count> severities) {
    }

    public record Count(String severity, int count) {
    }
}
