package io.wharf.scan.insight;

import java.util.List;

/**
 * A layer's entries, path-ordered, as read from its tar.
 *
 * @param fileBytes     bytes of every regular file of the tar, copies of one path the tar holds twice included
 * @param shadowedBytes bytes of the copies a later entry of the same path replaced within the layer
 */
public record LayerEntries(List<InsightEntry> entries, long fileBytes, long shadowedBytes) {
}
