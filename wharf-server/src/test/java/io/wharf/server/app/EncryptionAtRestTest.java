package io.wharf.server.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.tools.jib.api.Containerizer;
import io.wharf.core.model.Digest;
import io.wharf.server.config.WharfConfig;
import io.wharf.storage.crypto.EncryptionKeys;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.EncryptionType;
import software.amazon.awssdk.services.ecr.model.KmsException;

/**
 * Encryption at rest through the real wiring (filesystem + SQLite, Wharf's key store) over real HTTP: repositories
 * created with ECR's encryptionConfiguration, blobs pushed over /v2/, read whole and by range at segment boundaries,
 * shared across domains and mounted between them, collected from every domain.
 */
class EncryptionAtRestTest {
    private static final int SEGMENT = 1 << 20;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;
    private WharfConfig config;
    private Application app;
    private Backend backend;
    private EcrClient ecr;

    @BeforeEach
    void start() throws Exception {
        config = config(dir.resolve("data"), true);
        EncryptionKeys keys = Storage.keys(config);
        keys.createKey("team-a");
        keys.createKey("team-b");
        backend = Wiring.open(config);
        app = Application.start(config, backend, r -> Wiring.api(r, config, backend.auth()));
        ecr = EcrClient.builder().endpointOverride(app.server().uri()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "x")))
                .build();
        create("plain-repo", null, null); // AES256, encrypted with the registry key here
        create("kms-a", EncryptionType.KMS, "arn:aws:kms:us-east-1:000000000000:key/team-a");
        create("kms-b", EncryptionType.KMS, "alias/team-b");
    }

    /** A test server on the filesystem store, authentication off; {@code encryptAes256}: AES256 repositories encrypted. */
    static WharfConfig config(Path data, boolean encryptAes256) {
        return WharfConfig.defaults().withListen(new WharfConfig.Listen("127.0.0.1", 0))
                .withShutdownTimeout(Duration.ofSeconds(5)).withData(data)
                .withAuth(new WharfConfig.AuthSettings(false))
                .withBlobs(new WharfConfig.Blobs(WharfConfig.BlobBackend.FILESYSTEM, Optional.empty(),
                        new WharfConfig.AtRest(encryptAes256, Optional.empty())));
    }

    @AfterEach
    void stop() throws Exception {
        ecr.close();
        app.stop();
    }

    @Test
    void aChunkedPushIsStoredEncryptedAndServedWholeAndByRangeAtSegmentBoundaries() throws Exception {
        byte[] blob = random(3 * SEGMENT + 4321, 1);
        String digest = pushChunked("kms-a", blob, 700_000);
        assertNoPlaintextOnDisk(blob);

        HttpResponse<byte[]> head = send("HEAD", "/v2/kms-a/blobs/" + digest, null);
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(blob.length);
        assertThat(head.headers().firstValue("Docker-Content-Digest")).hasValue(digest);
        assertThat(get("kms-a", digest, null).body()).isEqualTo(blob);
        for (long at : new long[] {0, SEGMENT - 41, SEGMENT - 1, SEGMENT, 2L * SEGMENT - 1, blob.length - 10}) {
            long end = Math.min(at + 99, blob.length - 1);
            HttpResponse<byte[]> part = get("kms-a", digest, "bytes=" + at + "-" + end);
            assertThat(part.statusCode()).as("range at " + at).isEqualTo(206);
            assertThat(part.body()).as("range at " + at)
                    .isEqualTo(Arrays.copyOfRange(blob, (int) at, (int) end + 1));
        }
    }

    @Test
    void oneBlobInRepositoriesOfDifferentKeysIsServedFromEachAndCollectedFromEvery() throws Exception {
        byte[] blob = random(SEGMENT + 17, 2);
        String digest = pushMonolithic("kms-a", blob);
        pushMonolithic("kms-b", blob);
        pushMonolithic("plain-repo", blob);
        for (String repo : new String[] {"kms-a", "kms-b", "plain-repo"}) {
            assertThat(get(repo, digest, null).body()).as(repo).isEqualTo(blob);
        }
        String hex = digest.substring("sha256:".length());
        for (String domain : new String[] {"kms-team-a", "kms-team-b", "aes256"}) {
            assertThat(ciphertext(domain, hex)).as(domain).exists();
        }
        assertNoPlaintextOnDisk(blob);

        for (String repo : new String[] {"kms-a", "kms-b", "plain-repo"}) {
            assertThat(send("DELETE", "/v2/" + repo + "/blobs/" + digest, null).statusCode()).isEqualTo(202);
        }
        var gc = backend.registry().garbageCollector(new io.wharf.core.service.GarbageCollector.Settings(
                Duration.ZERO, Duration.ofHours(1)));
        gc.run(() -> false, r -> { });
        gc.run(() -> false, r -> { }); // the first run schedules the reviews, the second collects
        for (String domain : new String[] {"kms-team-a", "kms-team-b", "aes256"}) {
            assertThat(ciphertext(domain, hex)).as(domain).doesNotExist();
        }
    }

    @Test
    void aCrossRepositoryMountAcrossKeysReEncryptsForTheTarget() throws Exception {
        byte[] blob = random(200_000, 3);
        String digest = pushMonolithic("kms-a", blob);
        HttpResponse<byte[]> mount = send("POST", "/v2/kms-b/blobs/uploads/?mount=" + digest + "&from=kms-a", new byte[0]);
        assertThat(mount.statusCode()).isEqualTo(201);
        assertThat(ciphertext("kms-team-b", digest.substring(7))).exists();
        assertThat(get("kms-b", digest, null).body()).isEqualTo(blob);
        assertNoPlaintextOnDisk(blob);
    }

    @Test
    void tamperedCiphertextIsNeverServedAsBytes() throws Exception {
        byte[] blob = random(5000, 4);
        String digest = pushMonolithic("kms-a", blob);
        Path file = ciphertext("kms-team-a", digest.substring(7));
        byte[] raw = Files.readAllBytes(file);
        raw[raw.length / 2] ^= 1;
        Files.write(file, raw);
        HttpResponse<byte[]> res = get("kms-a", digest, null);
        assertThat(res.statusCode()).isEqualTo(404); // damaged: set aside, as a damaged plain file is
        assertThat(new String(res.body(), StandardCharsets.UTF_8)).contains("BLOB_UNKNOWN").contains("damaged");
        assertThat(file).doesNotExist();
        pushMonolithic("kms-a", blob); // a push repairs it
        assertThat(get("kms-a", digest, null).body()).isEqualTo(blob);
    }

    /** Jib core (the Jib plugins' library) pushes an image into a KMS repository and pulls it back to a tarball. */
    @Test
    void jibPushesToAndPullsFromAKmsRepository() throws Exception {
        byte[] content = random(64 * 1024, 5); // random: the gzipped layer keeps the bytes recognisable
        Path file = Files.createDirectories(dir.resolve("jib-files")).resolve("app.bin");
        Files.write(file, content);
        String target = "127.0.0.1:" + app.server().uri().getPort() + "/kms-b:1";
        com.google.cloud.tools.jib.api.JibContainer pushed = com.google.cloud.tools.jib.api.Jib.fromScratch()
                .addLayer(java.util.List.of(file), com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath.get("/app"))
                .setCreationTime(java.time.Instant.EPOCH)
                .containerize(jib(com.google.cloud.tools.jib.api.Containerizer.to(
                        com.google.cloud.tools.jib.api.RegistryImage.named(target))));
        Path tar = dir.resolve("pulled.tar");
        com.google.cloud.tools.jib.api.JibContainer pulled = com.google.cloud.tools.jib.api.Jib.from(
                        com.google.cloud.tools.jib.api.RegistryImage.named(target))
                .containerize(jib(com.google.cloud.tools.jib.api.Containerizer.to(
                        com.google.cloud.tools.jib.api.TarImage.at(tar).named("pulled:1"))));
        assertThat(pulled.getImageId()).isEqualTo(pushed.getImageId());
        assertThat(Files.size(tar)).isGreaterThan(content.length);
        assertNoPlaintextOnDisk(content);
    }

    private Containerizer jib(Containerizer c) {
        return c.setAllowInsecureRegistries(true).setBaseImageLayersCache(dir.resolve("jib-base"))
                .setApplicationLayersCache(dir.resolve("jib-app"));
    }

    @Test
    void aRepositoryWhoseKeyIsGoneAnswersUnavailableNotUnknown() throws Exception {
        String digest = pushMonolithic("kms-a", new byte[] {1, 2, 3, 4});
        Files.delete(config.data().resolve("keys/encryption/data-kms-team-a.keyset"));
        // a restore that left keys/ behind: the blob is there but unreadable, which is an outage, not "unknown"
        assertThat(send("HEAD", "/v2/kms-a/blobs/" + digest, null).statusCode()).isEqualTo(503);
        HttpResponse<byte[]> get = get("kms-a", digest, null);
        assertThat(get.statusCode()).isEqualTo(503);
        assertThat(new String(get.body(), java.nio.charset.StandardCharsets.UTF_8)).contains("UNAVAILABLE")
                .contains("kms-team-a");
        assertThat(ciphertext("kms-team-a", digest.substring("sha256:".length()))).as("nothing set aside").exists();
        assertThat(send("POST", "/v2/kms-a/blobs/uploads/?digest=" + Digest.sha256Of(new byte[] {5}),
                new byte[] {5}).statusCode()).as("nor stored unencrypted").isEqualTo(503);
    }

    @Test
    void aSignaturePolicyWhoseSignatureCannotBeReadAnswersUnavailableNotDenied() throws Exception {
        io.wharf.server.signing.Cosign.Client client = (method, path, body, type) -> HTTP.send(HttpRequest.newBuilder(
                resolve(path)).method(method, HttpRequest.BodyPublishers.ofByteArray(body)).header("Content-Type", type)
                .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        java.security.KeyPair key = io.wharf.server.signing.Cosign.newKey();
        Digest image = Digest.sha256Of(io.wharf.server.signing.Cosign.pushImage(client, "kms-a", "v1"));
        io.wharf.server.signing.Cosign.signTagScheme(client, "kms-a", image, image, key);
        String policy = "{\"trustedKeys\":[{\"name\":\"ci\",\"publicKey\":\""
                + io.wharf.server.signing.Cosign.pem(key.getPublic()).replace("\n", "\\n") + "\"}]}";
        assertThat(client.send("PUT", "/wharf/v1/repositories/kms-a/signature-policy",
                policy.getBytes(java.nio.charset.StandardCharsets.UTF_8), "application/json")).isEqualTo(200);
        assertThat(send("GET", "/v2/kms-a/manifests/v1", null).statusCode()).as("signed and trusted").isEqualTo(200);

        Files.delete(config.data().resolve("keys/encryption/data-kms-team-a.keyset"));
        HttpResponse<byte[]> pull = send("GET", "/v2/kms-a/manifests/v1", null);
        assertThat(pull.statusCode()).as("the signature's payload is unreadable: an outage, not an unsigned image")
                .isEqualTo(503);
        assertThat(new String(pull.body(), java.nio.charset.StandardCharsets.UTF_8)).contains("UNAVAILABLE");
    }

    @Test
    void aKmsKeyWharfDoesNotHoldIsRefusedForARepositoryOrATemplate() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> create("nokey", EncryptionType.KMS, "alias/missing"))
                .isInstanceOf(KmsException.class).hasMessageContaining("missing");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ecr.createRepositoryCreationTemplate(b -> b
                        .prefix("team").appliedFor(software.amazon.awssdk.services.ecr.model.RCTAppliedFor.CREATE_ON_PUSH)
                        .encryptionConfiguration(e -> e.encryptionType(EncryptionType.KMS)
                                .kmsKey("arn:aws:kms:us-east-1:000000000000:key/missing"))))
                .isInstanceOf(KmsException.class).hasMessageContaining("missing");
        ecr.createRepositoryCreationTemplate(b -> b.prefix("team")
                .appliedFor(software.amazon.awssdk.services.ecr.model.RCTAppliedFor.CREATE_ON_PUSH)
                .encryptionConfiguration(e -> e.encryptionType(EncryptionType.KMS)
                        .kmsKey("arn:aws:kms:us-east-1:000000000000:key/team-a"))); // a held key is accepted
    }

    private void create(String name, EncryptionType type, String key) {
        ecr.createRepository(b -> {
            b.repositoryName(name);
            if (type != null) {
                b.encryptionConfiguration(e -> e.encryptionType(type).kmsKey(key));
            }
        });
    }

    private String pushMonolithic(String repo, byte[] blob) throws Exception {
        String digest = Digest.sha256Of(blob).toString();
        HttpResponse<byte[]> res = send("POST", "/v2/" + repo + "/blobs/uploads/?digest=" + digest, blob);
        assertThat(res.statusCode()).isEqualTo(201);
        return digest;
    }

    private String pushChunked(String repo, byte[] blob, int chunk) throws Exception {
        String digest = Digest.sha256Of(blob).toString();
        HttpResponse<byte[]> start = send("POST", "/v2/" + repo + "/blobs/uploads/", new byte[0]);
        assertThat(start.statusCode()).isEqualTo(202);
        String location = start.headers().firstValue("Location").orElseThrow();
        for (int at = 0; at < blob.length; at += chunk) {
            byte[] part = Arrays.copyOfRange(blob, at, Math.min(blob.length, at + chunk));
            HttpResponse<byte[]> patch = HTTP.send(HttpRequest.newBuilder(resolve(location))
                    .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(part))
                    .header("Content-Type", "application/octet-stream")
                    .header("Content-Range", at + "-" + (at + part.length - 1)).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(patch.statusCode()).isEqualTo(202);
            location = patch.headers().firstValue("Location").orElseThrow();
        }
        String sep = location.contains("?") ? "&" : "?";
        HttpResponse<byte[]> put = HTTP.send(HttpRequest.newBuilder(resolve(location + sep + "digest=" + digest))
                .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(put.statusCode()).isEqualTo(201);
        return digest;
    }

    private HttpResponse<byte[]> get(String repo, String digest, String range) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(resolve("/v2/" + repo + "/blobs/" + digest)).GET();
        if (range != null) {
            b.header("Range", range);
        }
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException broken) {
            throw new AssertionError("transfer broke", broken);
        }
    }

    private HttpResponse<byte[]> send(String method, String path, byte[] body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(resolve(path)).method(method, body == null
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Content-Type", "application/octet-stream").build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private URI resolve(String location) {
        return app.server().uri().resolve(location);
    }

    private Path ciphertext(String domain, String hex) {
        return config.data().resolve("encrypted").resolve(domain).resolve("blobs/sha256")
                .resolve(hex.substring(0, 2)).resolve(hex);
    }

    /** No 4 KiB window of the blob, at any 4 KiB step, appears in any file of the data directory. */
    private void assertNoPlaintextOnDisk(byte[] blob) throws IOException {
        try (Stream<Path> files = Files.walk(config.data())) {
            for (Path f : files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("wharf.db")).toList()) {
                String disk;
                try (InputStream in = Files.newInputStream(f)) {
                    disk = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
                }
                for (int at = 0; at + 4096 <= blob.length; at += 4096) {
                    assertThat(disk.contains(new String(blob, at, 4096, StandardCharsets.ISO_8859_1)))
                            .as(f + " holds plaintext at " + at).isFalse();
                }
            }
        }
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }
}
