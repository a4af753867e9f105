package io.wharf.server.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.model.Digest;
import io.wharf.server.config.WharfConfig;
import io.wharf.server.signing.Cosign;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
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

/**
 * Manifests of encrypted repositories are sealed in the metadata database (filesystem + SQLite, real HTTP): a KMS
 * repository's manifest bytes are in no file of the data directory, a plain repository's are (as before); both are
 * served exactly; a sealed row that does not open is damaged, and a push repairs it.
 */
class EncryptedManifestsTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;
    private WharfConfig config;
    private Application app;
    private Cosign.Client client;

    @BeforeEach
    void start() throws Exception {
        config = EncryptionAtRestTest.config(dir.resolve("data"), false); // AES256 repositories stay plain
        Storage.keys(config).createKey("team-a");
        open();
        try (EcrClient ecr = EcrClient.builder().endpointOverride(app.server().uri()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "x")))
                .build()) {
            ecr.createRepository(b -> b.repositoryName("plain"));
            ecr.createRepository(b -> b.repositoryName("sealed").encryptionConfiguration(e -> e
                    .encryptionType(EncryptionType.KMS).kmsKey("alias/team-a")));
        }
    }

    private void open() throws Exception {
        Backend backend = Wiring.open(config);
        app = Application.start(config, backend, r -> Wiring.api(r, config, backend.auth()));
        client = (method, path, body, type) -> HTTP.send(HttpRequest.newBuilder(app.server().uri().resolve(path))
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body)).header("Content-Type", type).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @AfterEach
    void stop() throws Exception {
        app.stop();
    }

    @Test
    void aKmsRepositorysManifestIsSealedAtRestAndServedExactly() throws Exception {
        byte[] plain = Cosign.pushImage(client, "plain", "v1");
        byte[] sealed = Cosign.pushImage(client, "sealed", "v1");

        assertThat(manifest("plain", "v1").body()).isEqualTo(plain);
        assertThat(manifest("sealed", "v1").body()).isEqualTo(sealed);
        assertThat(manifest("sealed", Digest.sha256Of(sealed).toString()).body()).isEqualTo(sealed);
        assertThat(onDisk(plain)).as("a plain repository's manifest, as before (and the check can see one)").isTrue();
        assertThat(onDisk(sealed)).as("the KMS repository's manifest").isFalse();
        assertThat(sealedDomain(Digest.sha256Of(sealed))).isEqualTo("kms-team-a");
        assertThat(sealedDomain(Digest.sha256Of(plain))).isNull();

        app.stop(); // nothing served from the read cache: the row is opened again
        open();
        assertThat(manifest("sealed", "v1").body()).isEqualTo(sealed);
    }

    @Test
    void aSealedManifestThatDoesNotOpenIsDamagedAndAPushRepairsIt() throws Exception {
        byte[] sealed = Cosign.pushImage(client, "sealed", "v1");
        app.stop();
        try (Connection c = database()) {
            c.createStatement().executeUpdate("UPDATE manifest SET content = substr(content, 1, length(content) - 1)"
                    + " || X'00' WHERE sealed IS NOT NULL");
        }
        open();
        HttpResponse<byte[]> damaged = manifest("sealed", "v1");
        assertThat(damaged.statusCode()).isEqualTo(404);
        assertThat(new String(damaged.body(), StandardCharsets.UTF_8)).contains("MANIFEST_UNKNOWN").contains("damaged");

        assertThat(client.send("PUT", "/v2/sealed/manifests/v1", sealed, Cosign.OCI_MANIFEST)).isEqualTo(201);
        assertThat(manifest("sealed", "v1").body()).isEqualTo(sealed);
    }

    private HttpResponse<byte[]> manifest(String repo, String reference) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(app.server().uri().resolve("/v2/" + repo + "/manifests/" + reference))
                .header("Accept", Cosign.OCI_MANIFEST).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private String sealedDomain(Digest digest) throws Exception {
        try (Connection c = database();
             ResultSet rs = c.createStatement().executeQuery("SELECT sealed FROM manifest WHERE digest = '" + digest + "'")) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }

    private Connection database() throws Exception {
        return DriverManager.getConnection("jdbc:sqlite:" + config.data().resolve("wharf.db"));
    }

    /** Whether the bytes appear whole in any file of the data directory (the database, its WAL, the blobs). */
    private boolean onDisk(byte[] bytes) throws IOException {
        String wanted = new String(bytes, StandardCharsets.ISO_8859_1);
        try (Stream<Path> files = Files.walk(config.data())) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                if (new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1).contains(wanted)) {
                    return true;
                }
            }
        }
        return false;
    }
}
