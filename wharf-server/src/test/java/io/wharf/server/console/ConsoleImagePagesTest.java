package io.wharf.server.console;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.model.Digest;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.spi.MetadataStore;
import io.wharf.core.spi.ScanIndex;
import io.wharf.scan.model.FoundPackage;
import io.wharf.scan.model.PackageManager;
import io.wharf.scan.model.Pkg;
import io.wharf.scan.service.ScanCodec;
import io.wharf.scan.vuln.Finding;
import io.wharf.scan.vuln.Severity;
import io.wharf.server.config.WharfConfig;
import io.wharf.server.oci.Fixtures;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the image pages show, over real pushes: an index's platforms, referrers, config JSON, layers, a stored scan's
 * severity counts and findings with links, and paging by digest.
 */
class ConsoleImagePagesTest {
    @TempDir
    Path data;
    private ConsoleServer server;
    private String session;

    @BeforeEach
    void start() throws Exception {
        server = new ConsoleServer(data, true, c -> c.withScanning(off(c.scanning()))
                .withConsole(new WharfConfig.Console(true, Duration.ofHours(1), Duration.ofHours(1), 2)));
        session = SessionCookie.signIn(server);
    }

    /** Scanning off, so the scan this test stores is the only one. */
    private static WharfConfig.Scanning off(WharfConfig.Scanning s) {
        return new WharfConfig.Scanning(false, s.sbom(), s.maxImageBytes(), s.maxFileBytes(), s.maxLayerBytes(),
                s.interval(), s.manualScansPerDay(), s.claimLease(), s.maxAttempts());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String page(String path) throws Exception {
        HttpResponse<String> r = server.send("GET", path, null, "Cookie", Cookies.SESSION + "=" + session);
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return r.body();
    }

    private String put(String repo, String reference, String mediaType, byte[] manifest) throws Exception {
        HttpResponse<String> r = server.send("PUT", "/v2/" + repo + "/manifests/" + reference, manifest,
                "Authorization", server.rootToken(), "Content-Type", mediaType);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return Fixtures.digest(manifest);
    }

    @Test
    void anIndexShowsItsPlatformsAndAnImageItsReferrersConfigLayersAndFindings() throws Exception {
        String amd = server.push("app", "amd");
        String arm = server.push("app", "arm");
        byte[] index = ("{\"schemaVersion\":2,\"mediaType\":\"" + Fixtures.OCI_INDEX + "\",\"manifests\":["
                + "{\"mediaType\":\"" + Fixtures.OCI_MANIFEST + "\",\"digest\":\"" + amd + "\",\"size\":1,"
                + "\"platform\":{\"os\":\"linux\",\"architecture\":\"amd64\"}},"
                + "{\"mediaType\":\"" + Fixtures.OCI_MANIFEST + "\",\"digest\":\"" + arm + "\",\"size\":1,"
                + "\"platform\":{\"os\":\"linux\",\"architecture\":\"arm64\",\"variant\":\"v8\"}}]}").getBytes(UTF_8);
        String indexDigest = put("app", "multi", Fixtures.OCI_INDEX, fixSizes(index, amd, arm));
        byte[] empty = "{}".getBytes(UTF_8);
        server.send("POST", "/v2/app/blobs/uploads/?digest=" + Fixtures.digest(empty), empty,
                "Authorization", server.rootToken(), "Content-Type", "application/octet-stream");
        byte[] sbom = ("{\"schemaVersion\":2,\"mediaType\":\"" + Fixtures.OCI_MANIFEST + "\","
                + "\"artifactType\":\"application/vnd.example.sbom\",\"config\":{\"mediaType\":"
                + "\"application/vnd.oci.empty.v1+json\",\"digest\":\"" + Fixtures.digest(empty) + "\",\"size\":2},"
                + "\"layers\":[],\"subject\":{\"mediaType\":\"" + Fixtures.OCI_MANIFEST + "\",\"digest\":\"" + amd
                + "\",\"size\":" + size(amd) + "}}").getBytes(UTF_8);
        String sbomDigest = put("app", Fixtures.digest(sbom), Fixtures.OCI_MANIFEST, sbom);
        storeScan("app", amd);

        String all = allPages("/console/repositories/app");
        assertThat(all).contains("linux/amd64").contains("linux/arm64/v8");
        String amdPage = page("/console/repositories/app/-/images/" + amd);
        assertThat(amdPage).contains("application/vnd.example.sbom").contains(sbomDigest)
                .contains("\"architecture\" : \"amd64\"").contains("2.0 KiB")
                .contains("href=\"https://osv.dev/vulnerability/CVE-2024-0001\"").contains("CVE-2024-0002")
                .doesNotContain("javascript:").contains("COMPLETE")
                .contains("docker pull 127.0.0.1:" + server.app.server().port() + "/app:amd");
        String indexPage = page("/console/repositories/app/-/images/" + indexDigest);
        assertThat(indexPage).contains("href=\"/console/repositories/app/-/images/" + arm + "\"")
                .contains("linux/arm64/v8");
    }

    @Test
    void anImageShowsItsSignatures() throws Exception {
        io.wharf.server.signing.Cosign.Client client = (method, path, body, type) -> server.send(method, path, body,
                "Authorization", server.rootToken(), "Content-Type", type).statusCode();
        String signed = server.push("app", "signed");
        io.wharf.core.model.Digest digest = io.wharf.core.model.Digest.parse(signed);
        io.wharf.server.signing.Cosign.signTagScheme(client, "app", digest, digest,
                io.wharf.server.signing.Cosign.newKey());
        assertThat(page("/console/repositories/app/-/images/" + signed)).contains("<h2>Signatures</h2>")
                .contains("COSIGN_TAG (sha256-" + digest.hex() + ".sig)").contains("1 layer");
        assertThat(page("/console/repositories/app/-/images/" + server.push("app", "plain")))
                .contains("No cosign, sigstore or Notation signatures");
    }

    @Test
    void imagesArePagedByDigestAndTheScanColumnCountsSeverities() throws Exception {
        String a = server.push("app", "a");
        server.push("app", "b");
        server.push("app", "c");
        storeScan("app", a);
        String first = page("/console/repositories/app");
        assertThat(first.split("<tr>")).as("a header and two rows: the page size").hasSize(4);
        String all = allPages("/console/repositories/app");
        for (String tag : List.of("a", "b", "c")) {
            assertThat(all).containsOnlyOnce("<span class=\"tag\">" + tag + "</span>");
        }
        assertThat(all).contains("HIGH: 1").contains("LOW: 1");
        assertThat(all.indexOf("HIGH: 1")).isLessThan(all.indexOf("LOW: 1"));
    }

    /** Every page of a list, following its next links. */
    private String allPages(String path) throws Exception {
        StringBuilder all = new StringBuilder();
        for (int pages = 0; path != null; pages++) {
            assertThat(pages).as("pages").isLessThan(10);
            String body = page(path);
            all.append(body);
            Matcher m = Pattern.compile("class=\"pager\"[^>]*><a href=\"([^\"]+)\"")
                    .matcher(body);
            path = m.find() ? m.group(1).replace("&amp;", "&") : null;
        }
        return all.toString();
    }

    private long size(String digest) throws Exception {
        return server.send("GET", "/v2/app/manifests/" + digest, null, "Authorization", server.rootToken(),
                "Accept", Fixtures.OCI_MANIFEST).body().getBytes(UTF_8).length;
    }

    private byte[] fixSizes(byte[] index, String... digests) throws Exception {
        String text = new String(index, UTF_8);
        for (String d : digests) {
            text = text.replace("\"digest\":\"" + d + "\",\"size\":1", "\"digest\":\"" + d + "\",\"size\":" + size(d));
        }
        return text.getBytes(UTF_8);
    }

    /** A finished scan as the scanner would store it: one finding with an OSV link, one with a hostile link. */
    private void storeScan(String repo, String digest) {
        MetadataStore meta = server.backend.registry().metadata();
        long id = meta.findRepository(ConsoleServer.ACCOUNT, new RepositoryName(repo)).orElseThrow().id();
        Digest d = Digest.parse(digest);
        Instant now = Instant.now();
        meta.scans().requestScan(id, d, new ScanIndex.ScanRequest("BASIC", "MANUAL", false, 0), now);
        meta.scans().claimScan(id, d, "test", now, now.plusSeconds(60)).orElseThrow();
        FoundPackage pkg = new FoundPackage(new Pkg(PackageManager.DPKG, "openssl", "3.0.1", null, null, null, null,
                "var/lib/dpkg/status"), 0, d, d);
        byte[] findings = ScanCodec.findings(List.of(
                new ScanCodec.PlatformFinding("linux/amd64", finding(pkg, "CVE-2024-0001", "https://osv.dev/vulnerability/CVE-2024-0001")),
                new ScanCodec.PlatformFinding("linux/amd64", finding(pkg, "CVE-2024-0002", "javascript:alert(1)"))));
        assertThat(meta.scans().finishScan(id, d, "test", new ScanIndex.ScanResult(ScanIndex.Status.COMPLETE, "done",
                0, now, null, findings, Map.of("HIGH", 1, "LOW", 1)), now)).isTrue();
    }

    private static Finding finding(FoundPackage pkg, String id, String url) {
        return new Finding(pkg, id, List.of(), "a flaw", "a flaw", url, List.of(), Severity.HIGH, null, List.of(),
                "3.0.2", "osv", null, null);
    }
}
