package io.wharf.server.scan;

import io.wharf.server.app.Application;
import io.wharf.server.app.Backend;
import io.wharf.server.app.Wiring;
import io.wharf.server.config.WharfConfig;
import io.wharf.server.config.WharfConfig.Listen;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecr.EcrClient;

/**
 * A started Wharf server (the real Application: event dispatcher with the scan-on-push subscriber, the job
 * scheduler with the {@code scan} job) over a temporary data directory, and images built here: tar.gz layers
 * holding the given files, pushed over the registry API.
 */
final class ScanServer implements AutoCloseable {
    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";

    final WharfConfig config;
    final Backend backend;
    final Application app;
    final EcrClient ecr;
    private final HttpClient http = HttpClient.newHttpClient();

    ScanServer(Path data, WharfConfig.Scanning scanning) throws Exception {
        WharfConfig defaults = WharfConfig.defaults();
        config = defaults.withData(data).withListen(new Listen("127.0.0.1", 0))
                .withAuth(new WharfConfig.AuthSettings(false)).withShutdownTimeout(Duration.ofSeconds(2))
                .withEvents(new WharfConfig.Events(Duration.ofMillis(100), Duration.ofDays(7), 100, false))
                .withJobs(new WharfConfig.Jobs(Duration.ofSeconds(30), Duration.ofMillis(100)))
                .withScanning(scanning);
        backend = Wiring.open(config);
        app = Application.start(config, backend, registry -> Wiring.api(registry, config, backend.auth()));
        ecr = EcrClient.builder().endpointOverride(app.server().uri()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
                .build();
    }

    /** Scanning on, polled every 100 ms, with the given SBOM setting. */
    static WharfConfig.Scanning scanning(boolean sbom) {
        WharfConfig.Scanning d = WharfConfig.defaults().scanning();
        return new WharfConfig.Scanning(true, sbom, d.maxImageBytes(), d.maxFileBytes(), d.maxLayerBytes(),
                Duration.ofMillis(100), d.manualScansPerDay(), d.claimLease(), d.maxAttempts());
    }

    @Override
    public void close() {
        ecr.close();
        app.stop();
    }

    // ---- images

    /** A tar.gz layer holding {@code files} (path → content). */
    static byte[] layer(Map<String, String> files) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(out))) {
            for (var e : files.entrySet()) {
                byte[] bytes = e.getValue().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry entry = new TarArchiveEntry(e.getKey());
                entry.setSize(bytes.length);
                entry.setMode(0644);
                tar.putArchiveEntry(entry);
                tar.write(bytes);
                tar.closeArchiveEntry();
            }
        }
        return out.toByteArray();
    }

    /** Debian 12's os-release and a dpkg status file with one stanza per {@code name=version}. */
    static Map<String, String> debian(Map<String, String> packages) {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("etc/os-release", "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\n"
                + "VERSION_ID=\"12\"\nVERSION=\"12 (bookworm)\"\nVERSION_CODENAME=bookworm\nID=debian\n");
        StringBuilder status = new StringBuilder();
        packages.forEach((name, version) -> status.append("Package: ").append(name)
                .append("\nStatus: install ok installed\nPriority: optional\nSection: libs\nMaintainer: Debian <d@example.org>\n")
                .append("Architecture: amd64\nVersion: ").append(version).append("\nDescription: ").append(name).append("\n\n"));
        files.put("var/lib/dpkg/status", status.toString());
        return files;
    }

    static String sha256(byte[] bytes) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String gunzipDigest(byte[] gz) throws IOException {
        try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
            return sha256(in.readAllBytes());
        }
    }

    /** Pushes an image of these layers (config with their diffIDs) under {@code reference}; returns its digest. */
    String pushImage(String repo, String reference, List<byte[]> layers) throws Exception {
        StringBuilder diffIds = new StringBuilder();
        StringBuilder descriptors = new StringBuilder();
        for (byte[] l : layers) {
            pushBlob(repo, l);
            diffIds.append(diffIds.isEmpty() ? "" : ",").append('"').append(gunzipDigest(l)).append('"');
            descriptors.append(descriptors.isEmpty() ? "" : ",").append(descriptor("application/vnd.oci.image.layer.v1.tar+gzip", l));
        }
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":["
                + diffIds + "]}}").getBytes(StandardCharsets.UTF_8);
        pushBlob(repo, config);
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":"
                + descriptor("application/vnd.oci.image.config.v1+json", config) + ",\"layers\":[" + descriptors + "]}";
        return pushManifest(repo, reference, OCI_MANIFEST, manifest.getBytes(StandardCharsets.UTF_8));
    }

    /** An artifact (an SBOM-like document) whose subject is {@code subject} when not null. */
    String pushArtifact(String repo, String reference, String artifactType, String subjectDigest, long subjectSize) throws Exception {
        byte[] empty = "{}".getBytes(StandardCharsets.UTF_8);
        byte[] doc = "{\"doc\":1}".getBytes(StandardCharsets.UTF_8);
        pushBlob(repo, empty);
        pushBlob(repo, doc);
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"artifactType\":\"" + artifactType
                + "\",\"config\":" + descriptor("application/vnd.oci.empty.v1+json", empty) + ",\"layers\":["
                + descriptor(artifactType, doc) + "]"
                + (subjectDigest == null ? "" : ",\"subject\":{\"mediaType\":\"" + OCI_MANIFEST + "\",\"digest\":\""
                + subjectDigest + "\",\"size\":" + subjectSize + "}") + "}";
        return pushManifest(repo, reference, OCI_MANIFEST, manifest.getBytes(StandardCharsets.UTF_8));
    }

    static String descriptor(String mediaType, byte[] content) {
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + sha256(content) + "\",\"size\":" + content.length + "}";
    }

    void pushBlob(String repo, byte[] content) throws Exception {
        HttpResponse<byte[]> res = send("POST", "/v2/" + repo + "/blobs/uploads/?digest=" + sha256(content), content, "application/octet-stream");
        if (res.statusCode() != 201) {
            throw new AssertionError("blob push failed: " + res.statusCode() + " " + new String(res.body(), StandardCharsets.UTF_8));
        }
    }

    String pushManifest(String repo, String reference, String mediaType, byte[] manifest) throws Exception {
        HttpResponse<byte[]> res = send("PUT", "/v2/" + repo + "/manifests/" + reference, manifest, mediaType);
        if (res.statusCode() != 201) {
            throw new AssertionError("manifest push failed: " + res.statusCode() + " " + new String(res.body(), StandardCharsets.UTF_8));
        }
        return sha256(manifest);
    }

    HttpResponse<byte[]> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<byte[]> send(String method, String path, byte[] body, String contentType) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).header("Content-Type", contentType)
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private URI uri(String path) {
        return app.server().uri().resolve(path);
    }
}
