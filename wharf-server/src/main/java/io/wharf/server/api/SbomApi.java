package io.wharf.server.api;

import io.wharf.core.error.ManifestUnknownException;
import io.wharf.core.error.NameUnknownException;
import io.wharf.core.error.ScanNotFoundException;
import io.wharf.core.model.Digest;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.service.RepoKey;
import io.wharf.scan.sbom.SbomSubject;
import io.wharf.scan.sbom.Sboms;
import io.wharf.scan.service.ScanService;
import io.wharf.server.auth.AuthException;
import io.wharf.server.auth.EcrArns;
import io.wharf.server.http.Exchange;

/**
 * {@code GET /wharf/v1/repositories/<name>/sbom/<digest>?format=cyclonedx|spdx}: the SBOM of a scanned image, written
 * from its stored inventory (CycloneDX JSON by default, or SPDX JSON). Authorized as pulling the image is
 * ({@value #ACTION} on the repository's ARN).
 */
final class SbomApi {
    static final String ACTION = "ecr:BatchGetImage";
    private final ScanService scans;
    private final String region;
    private final String account;
    private final int maxNameLength;

    SbomApi(ScanService scans, String region, String account, int maxNameLength) {
        this.scans = scans;
        this.region = region;
        this.account = account;
        this.maxNameLength = maxNameLength;
    }

    ApiReply sbom(ApiCall call) throws AuthException {
        Exchange ex = call.ex();
        RepositoryName name = RepositoryName.parse(call.param("name"), maxNameLength);
        Digest digest = digest(call.param("digest"));
        String format = ex.query("format") == null ? "cyclonedx" : ex.query("format");
        if (!format.equals("cyclonedx") && !format.equals("spdx")) {
            throw new ApiProblem(ApiError.INVALID_PARAMETER, "format must be cyclonedx or spdx, not '" + format + "'");
        }
        call.allow(ACTION, EcrArns.repository(region, account, name.value()));
        RepoKey key = new RepoKey(account, name);
        try {
            var scan = scans.scan(key, digest);
            var inventory = scans.inventory(scan).orElseThrow(() -> new ApiProblem(ApiError.NOT_FOUND,
                    "the image " + digest + " was not analysed (scan status " + scan.status() + ")"));
            SbomSubject subject = new SbomSubject(name.value(), digest, scans.tags(key, digest), null, scan.completedAt());
            boolean spdx = format.equals("spdx");
            byte[] body = spdx ? Sboms.spdx(inventory, subject) : Sboms.cycloneDx(inventory, subject);
            return new ApiReply(0, spdx ? Sboms.SPDX_MEDIA_TYPE : Sboms.CYCLONEDX_MEDIA_TYPE, body);
        } catch (NameUnknownException | ManifestUnknownException | ScanNotFoundException e) {
            throw new ApiProblem(ApiError.NOT_FOUND, e.getMessage());
        }
    }

    private static Digest digest(String text) {
        try {
            return Digest.parse(text);
        } catch (RuntimeException e) {
            throw new ApiProblem(ApiError.INVALID_PARAMETER, "not a digest: '" + text + "'");
        }
    }
}
