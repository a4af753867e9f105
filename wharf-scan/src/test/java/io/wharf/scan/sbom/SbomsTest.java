package io.wharf.scan.sbom;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.core.model.Digest;
import io.wharf.scan.model.FoundPackage;
import io.wharf.scan.model.ImageInventory;
import io.wharf.scan.model.OsRelease;
import io.wharf.scan.model.PackageManager;
import io.wharf.scan.model.Pkg;
import io.wharf.scan.model.Purls;
import java.time.Instant;
import java.util.List;
import org.cyclonedx.Version;
import org.cyclonedx.model.Bom;
import org.cyclonedx.parsers.JsonParser;
import org.junit.jupiter.api.Test;

class SbomsTest {

    static final Digest LAYER = Digest.sha256Of("layer".getBytes());
    static final Digest DIFF = Digest.sha256Of("diff".getBytes());
    static final OsRelease DEBIAN = new OsRelease("debian", "12", "bookworm", "Debian GNU/Linux 12 (bookworm)");
    static final SbomSubject SUBJECT = new SbomSubject("team/app", Digest.sha256Of("manifest".getBytes()),
            List.of("1.0"), "linux/amd64", Instant.parse("2026-12-03T12:00:00.123Z"));

    static FoundPackage found(Pkg pkg) {
        return new FoundPackage(pkg, 0, LAYER, DIFF);
    }

    static ImageInventory inventory() {
        return new ImageInventory(DEBIAN, List.of(
                found(new Pkg(PackageManager.DPKG, "libc6", "2.36-9", "glibc", null, "amd64", null, "var/lib/dpkg/status")),
                found(new Pkg(PackageManager.DPKG, "bash", "5.2.15-2+b8", "bash", "5.2.15-2", "amd64", null, "var/lib/dpkg/status")),
                found(new Pkg(PackageManager.NPM, "@babel/core", "7.24.0", null, null, null, "MIT", "app/node_modules/@babel/core/package.json")),
                found(new Pkg(PackageManager.MAVEN, "org.slf4j:slf4j-api", "2.0.9", null, null, null, "Apache License 2.0 (not SPDX)", "app/x.jar"))));
    }

    @Test
    void purlsCarryTheDistro() {
        assertThat(Purls.of(inventory().packages().get(0), DEBIAN))
                .isEqualTo("pkg:deb/debian/libc6@2.36-9?arch=amd64&distro=debian-12");
        assertThat(Purls.of(new Pkg(PackageManager.RPM, "bash", "1:5.1-2.el9", "bash", null, "x86_64", null, "p"),
                new OsRelease("rhel", "9.4", null, null))).isEqualTo("pkg:rpm/rhel/bash@5.1-2.el9?arch=x86_64&distro=rhel-9.4&epoch=1");
        assertThat(Purls.of(inventory().packages().get(2), DEBIAN)).isEqualTo("pkg:npm/%40babel/core@7.24.0");
        assertThat(Purls.of(inventory().packages().get(3), DEBIAN)).isEqualTo("pkg:maven/org.slf4j/slf4j-api@2.0.9");
        assertThat(Purls.of(new Pkg(PackageManager.GO, "github.com/x/y", "1.2.0", null, null, null, null, "bin/app"), null))
                .isEqualTo("pkg:golang/github.com/x/y@1.2.0");
    }

    @Test
    void cycloneDxValidatesAgainstTheSchemaAndCarriesLayersAndPurls() throws Exception {
        byte[] json = Sboms.cycloneDx(inventory(), SUBJECT);
        JsonParser parser = new JsonParser();
        assertThat(parser.validate(json, Version.VERSION_16)).isEmpty();
        Bom bom = parser.parse(json);
        assertThat(bom.getSpecVersion()).isEqualTo("1.6");
        assertThat(bom.getMetadata().getComponent().getName()).isEqualTo("team/app");
        assertThat(bom.getMetadata().getComponent().getVersion()).isEqualTo(SUBJECT.digest().toString());
        assertThat(bom.getComponents()).hasSize(5);
        assertThat(bom.getComponents().getFirst().getType().getTypeName()).isEqualTo("operating-system");
        var libc = bom.getComponents().get(1);
        assertThat(libc.getPurl()).isEqualTo("pkg:deb/debian/libc6@2.36-9?arch=amd64&distro=debian-12");
        assertThat(libc.getProperties()).extracting(p -> p.getName() + "=" + p.getValue()).contains(
                "wharf:layer:digest=" + LAYER, "wharf:layer:diffID=" + DIFF,
                "wharf:package:path=var/lib/dpkg/status", "wharf:package:source=glibc");
        JsonNode tree = new ObjectMapper().readTree(json);
        assertThat(tree.at("/components/2/properties").toString()).contains("bash@5.2.15-2");
        assertThat(tree.at("/components/3/licenses/0/license/name").asText()).isEqualTo("MIT");
    }

    @Test
    void cycloneDxIsDeterministic() {
        byte[] one = Sboms.cycloneDx(inventory(), SUBJECT);
        assertThat(Sboms.cycloneDx(inventory(), SUBJECT)).isEqualTo(one);
        String text = new String(one);
        assertThat(text).contains("\"serialNumber\" : \"urn:uuid:" + SbomJson.uuid(SUBJECT) + "\"");
    }

    @Test
    void emptyInventoryWithoutOsStillValidates() throws Exception {
        byte[] json = Sboms.cycloneDx(new ImageInventory(null, List.of()),
                new SbomSubject("x", SUBJECT.digest(), null, null, null));
        assertThat(new JsonParser().validate(json, Version.VERSION_16)).isEmpty();
    }

    @Test
    void spdxDescribesTheImageAndContainsEachPackage() throws Exception {
        JsonNode doc = new ObjectMapper().readTree(Sboms.spdx(inventory(), SUBJECT));
        assertThat(doc.get("spdxVersion").asText()).isEqualTo("SPDX-2.3");
        assertThat(doc.get("documentNamespace").asText()).startsWith("https://").contains(SUBJECT.digest().hex());
        assertThat(doc.at("/creationInfo/created").asText()).isEqualTo("2026-12-03T12:00:00Z");
        assertThat(doc.get("packages")).hasSize(6);
        JsonNode libc = doc.get("packages").get(2);
        assertThat(libc.get("SPDXID").asText()).isEqualTo("SPDXRef-Package-1");
        assertThat(libc.get("versionInfo").asText()).isEqualTo("2.36-9");
        assertThat(libc.at("/externalRefs/0/referenceType").asText()).isEqualTo("purl");
        assertThat(libc.at("/externalRefs/0/referenceCategory").asText()).isEqualTo("PACKAGE-MANAGER");
        assertThat(doc.get("relationships")).hasSize(6);
        assertThat(doc.at("/relationships/0/relationshipType").asText()).isEqualTo("DESCRIBES");
        assertThat(doc.at("/relationships/5/relationshipType").asText()).isEqualTo("CONTAINS");
    }
}
