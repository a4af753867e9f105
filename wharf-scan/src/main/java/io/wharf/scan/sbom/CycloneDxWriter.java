package io.wharf.scan.sbom;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.scan.model.FoundPackage;
import io.wharf.scan.model.ImageInventory;
import io.wharf.scan.model.OsRelease;
import io.wharf.scan.model.Purls;
import java.util.HashSet;
import java.util.Set;

/** CycloneDX 1.6 JSON: the image as metadata.component, its OS and one component per package. */
final class CycloneDxWriter {

    private final ImageInventory inventory;
    private final SbomSubject subject;
    private final Set<String> refs = new HashSet<>();

    CycloneDxWriter(ImageInventory inventory, SbomSubject subject) {
        this.inventory = inventory;
        this.subject = subject;
    }

    ObjectNode document() {
        ObjectNode bom = SbomJson.JSON.createObjectNode();
        bom.put("bomFormat", "CycloneDX").put("specVersion", "1.6")
                .put("serialNumber", "urn:uuid:" + SbomJson.uuid(subject)).put("version", 1);
        bom.set("metadata", metadata());
        ArrayNode components = bom.putArray("components");
        OsRelease os = inventory.os();
        if (os != null) {
            ObjectNode component = components.addObject().put("bom-ref", ref("os:" + os.id()))
                    .put("type", "operating-system").put("name", os.id());
            putIfSet(component, "version", os.versionId());
            putIfSet(component, "description", os.prettyName());
        }
        inventory.packages().forEach(found -> components.add(component(found, os)));
        return bom;
    }

    private ObjectNode metadata() {
        ObjectNode metadata = SbomJson.JSON.createObjectNode();
        if (subject.createdAt() != null) {
            metadata.put("timestamp", SbomJson.timestamp(subject.createdAt()));
        }
        metadata.putObject("tools").putArray("components").addObject()
                .put("type", "application").put("name", "wharf");
        ObjectNode image = metadata.putObject("component").put("bom-ref", ref("image:" + subject.digest()))
                .put("type", "container").put("name", subject.repository())
                .put("version", subject.digest().toString());
        ArrayNode properties = image.putArray("properties");
        if (subject.tags() != null) {
            subject.tags().forEach(tag -> property(properties, "wharf:image:tag", tag));
        }
        if (subject.platform() != null) {
            property(properties, "wharf:image:platform", subject.platform());
        }
        return metadata;
    }

    private ObjectNode component(FoundPackage found, OsRelease os) {
        String purl = Purls.of(found, os);
        ObjectNode component = SbomJson.JSON.createObjectNode()
                .put("bom-ref", ref(purl != null ? purl : "wharf:" + found.pkg().key()))
                .put("type", "library").put("name", found.pkg().name()).put("version", found.pkg().version());
        putIfSet(component, "purl", purl);
        if (found.pkg().license() != null && !found.pkg().license().isBlank()) {
            component.putArray("licenses").addObject().putObject("license").put("name", found.pkg().license());
        }
        ArrayNode properties = component.putArray("properties");
        property(properties, "wharf:layer:digest", found.layerDigest().toString());
        property(properties, "wharf:layer:diffID", found.diffId().toString());
        property(properties, "wharf:package:path", found.pkg().filePath());
        property(properties, "wharf:package:manager", found.pkg().manager().name().toLowerCase());
        if (found.pkg().sourceName() != null) {
            String source = found.pkg().sourceName()
                    + (found.pkg().sourceVersion() != null ? "@" + found.pkg().sourceVersion() : "");
            property(properties, "wharf:package:source", source);
        }
        return component;
    }

    /** bom-refs must be unique in the document; a repeated one gets a counter. */
    private String ref(String wanted) {
        String ref = wanted;
        for (int i = 2; !refs.add(ref); i++) {
            ref = wanted + "#" + i;
        }
        return ref;
    }

    private static void property(ArrayNode properties, String name, String value) {
        properties.addObject().put("name", name).put("value", value);
    }

    private static void putIfSet(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }
}
