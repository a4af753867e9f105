package io.wharf.scan.sbom;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.scan.model.FoundPackage;
import io.wharf.scan.model.ImageInventory;
import io.wharf.scan.model.OsRelease;
import io.wharf.scan.model.Purls;
import java.time.Instant;
import java.util.List;

/** SPDX 2.3 JSON: the image package DESCRIBED by the document, CONTAINING the OS and every package. */
final class SpdxWriter {

    private static final String IMAGE_ID = "SPDXRef-Image";

    private final ImageInventory inventory;
    private final SbomSubject subject;

    SpdxWriter(ImageInventory inventory, SbomSubject subject) {
        this.inventory = inventory;
        this.subject = subject;
    }

    ObjectNode document() {
        ObjectNode doc = SbomJson.JSON.createObjectNode();
        doc.put("spdxVersion", "SPDX-2.3").put("dataLicense", "CC0-1.0").put("SPDXID", "SPDXRef-DOCUMENT")
                .put("name", subject.repository() + "@" + subject.digest())
                .put("documentNamespace", "https://wharf.invalid/spdx/" + subject.repository() + "/"
                        + subject.digest().hex() + "-" + SbomJson.uuid(subject));
        Instant created = subject.createdAt() != null ? subject.createdAt() : Instant.EPOCH;
        ObjectNode creation = doc.putObject("creationInfo").put("created", SbomJson.timestamp(created));
        creation.putArray("creators").add("Tool: wharf");
        ArrayNode packages = doc.putArray("packages");
        ArrayNode relationships = doc.putArray("relationships");
        relation(relationships, "SPDXRef-DOCUMENT", "DESCRIBES", IMAGE_ID);
        packages.add(pkg(IMAGE_ID, subject.repository(), subject.digest().toString(), null, "CONTAINER"));
        OsRelease os = inventory.os();
        if (os != null) {
            packages.add(pkg("SPDXRef-OperatingSystem", os.id(), os.versionId(), null, "OPERATING-SYSTEM"));
            relation(relationships, IMAGE_ID, "CONTAINS", "SPDXRef-OperatingSystem");
        }
        List<FoundPackage> found = inventory.packages();
        for (int i = 0; i < found.size(); i++) {
            String id = "SPDXRef-Package-" + (i + 1);
            FoundPackage p = found.get(i);
            packages.add(pkg(id, p.pkg().name(), p.pkg().version(), Purls.of(p, os), "LIBRARY"));
            relation(relationships, IMAGE_ID, "CONTAINS", id);
        }
        return doc;
    }

    private static ObjectNode pkg(String id, String name, String version, String purl, String purpose) {
        ObjectNode pkg = SbomJson.JSON.createObjectNode().put("SPDXID", id).put("name", name);
        if (version != null) {
            pkg.put("versionInfo", version);
        }
        pkg.put("downloadLocation", "NOASSERTION").put("filesAnalyzed", false)
                .put("licenseConcluded", "NOASSERTION").put("licenseDeclared", "NOASSERTION")
                .put("copyrightText", "NOASSERTION").put("primaryPackagePurpose", purpose);
        if (purl != null) {
            pkg.putArray("externalRefs").addObject().put("referenceCategory", "PACKAGE-MANAGER")
                    .put("referenceType", "purl").put("referenceLocator", purl);
        }
        return pkg;
    }

    private static void relation(ArrayNode relationships, String from, String type, String to) {
        relationships.addObject().put("spdxElementId", from).put("relationshipType", type)
                .put("relatedSpdxElement", to);
    }
}
