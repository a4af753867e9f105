package io.wharf.scan.sbom;

import io.wharf.scan.model.ImageInventory;

/** Writes an inventory as a CycloneDX 1.6 JSON or an SPDX 2.3 JSON document. */
public final class Sboms {
    public static final String CYCLONEDX_MEDIA_TYPE = "application/vnd.cyclonedx+json";
    public static final String SPDX_MEDIA_TYPE = "application/spdx+json";

    private Sboms() {
    }

    /** CycloneDX JSON with a package URL for each component and the layer it came from (properties). */
    public static byte[] cycloneDx(ImageInventory inventory, SbomSubject subject) {
        return SbomJson.bytes(new CycloneDxWriter(inventory, subject).document());
    }

    /** SPDX JSON: the image package, the OS and every package, with purls as PACKAGE-MANAGER references. */
    public static byte[] spdx(ImageInventory inventory, SbomSubject subject) {
        return SbomJson.bytes(new SpdxWriter(inventory, subject).document());
    }
}
