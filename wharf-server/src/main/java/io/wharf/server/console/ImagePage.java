package io.wharf.server.console;

import java.util.List;

/**
 * One image: its manifest and config pretty-printed, layers or index children, referrers, findings and the
 * pull commands.
 *
 * @param config       the config JSON; null: none, or too large to show
 * @param scan         scan status ({@code none} without a scan)
 * @param deleteHref   the delete confirmation's URL
 * @param signatures   the signatures found (cosign tag scheme and referrers, sigstore bundles, Notation)
 * @param verdict      the repository's signature policy on this image; null: the repository has none
 */
public record ImagePage(Frame frame, String name, String digest, String mediaType, List<String> tags,
                        List<String> pullCommands, String manifest, String config, List<Part> layers,
                        List<Part> children, List<Part> referrers, String scan, List<FindingRow> findings,
                        String imagesHref, String deleteHref, List<Part> signatures, String verdict) {

    /** A descriptor as a row: what it is, its digest, its size, and a link when it is a page of ours. */
    public record Part(String kind, String digest, String size, String href) {
    }

    public record FindingRow(String id, String severity, String pkg, String version, String fixedIn, String link) {
    }
}
