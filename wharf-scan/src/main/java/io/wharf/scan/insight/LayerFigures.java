package io.wharf.scan.insight;

import io.wharf.core.model.Digest;

/**
 * One layer of an image in the image's context (docs/layer-insight.md): what it adds, modifies and removes with
 * respect to the layers below it, and how many of its own bytes are wasted.
 *
 * @param index          0 = the bottom layer
 * @param size           the blob's (compressed) size as the manifest lists it
 * @param status         COMPLETE, PENDING (not read yet), TOO_LARGE or UNREADABLE; the figures are 0 unless COMPLETE
 * @param detail         why the layer was not read, else null
 * @param entries        entries of the layer's tar kept (files, directories, links, whiteouts)
 * @param fileBytes      bytes of the layer's regular files
 * @param added          non-directory paths the layer puts where nothing was
 * @param modified       non-directory paths the layer puts over something a lower layer put there
 * @param removed        non-directory paths of lower layers the layer removes (whiteouts, opaque directories, or a
 *                       file put over a directory), not put back by the layer
 * @param addedBytes     file bytes of {@code added}
 * @param modifiedBytes  file bytes of {@code modified} (the new copies)
 * @param removedBytes   file bytes of {@code removed}
 * @param duplicates     modified files whose content equals the copy they replace (same size and SHA-256)
 * @param duplicateBytes file bytes of {@code duplicates}
 * @param wastedBytes    bytes of this layer's files that the final image does not show: replaced or removed by a
 *                       higher layer, or by a later entry of the same path in this layer
 */
public record LayerFigures(int index, Digest digest, long size, String status, String detail, long entries,
                           long fileBytes, long added, long modified, long removed, long addedBytes, long modifiedBytes,
                           long removedBytes, long duplicates, long duplicateBytes, long wastedBytes) {

    static LayerFigures without(int index, Digest digest, long size, String status, String detail) {
        return new LayerFigures(index, digest, size, status, detail, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }
}
