package io.wharf.scan.vuln;

import io.wharf.scan.model.FoundPackage;
import java.time.Instant;
import java.util.List;

/**
 * A vulnerability that affects one package of an image.
 *
 * @param vulnerabilityId the CVE id when the advisory has one as id or alias, else the advisory's own id
 * @param relatedIds      the advisory's other ids and aliases (e.g. DSA-…, GHSA-…)
 * @param title           a one-line summary (may be null)
 * @param description     the advisory's details (may be null)
 * @param sourceUrl       the first advisory reference, or a link built from the id
 * @param severity        vendor severity if the record has one, else the highest CVSS band, else UNDEFINED
 * @param vendorSeverity  the record's own word (Debian urgency, GHSA label…), or null
 * @param fixedInVersion  the first fixed version above the installed one, or null when none is known
 * @param source          the data source's name: the OSV id prefix family (DEBIAN_CVE, ALPINE, GHSA, GO, PYSEC, RUSTSEC, OSV)
 */
public record Finding(FoundPackage pkg, String vulnerabilityId, List<String> relatedIds, String title,
                      String description, String sourceUrl, List<String> referenceUrls, Severity severity,
                      String vendorSeverity, List<Cvss> cvss, String fixedInVersion, String source,
                      Instant published, Instant modified) {

    public Finding {
        relatedIds = List.copyOf(relatedIds);
        referenceUrls = List.copyOf(referenceUrls);
        cvss = List.copyOf(cvss);
    }
}
