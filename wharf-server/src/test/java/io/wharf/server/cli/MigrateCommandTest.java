package io.wharf.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.identity.AccessKey;
import io.wharf.core.identity.Identities;
import io.wharf.core.model.RepositoryName;
import io.wharf.server.app.Application;
import io.wharf.server.app.Backend;
import io.wharf.server.app.Wiring;
import io.wharf.server.auth.AuthSetup;
import io.wharf.server.config.ConfigLoader;
import io.wharf.server.config.WharfConfig;
import io.wharf.server.oci.Fixtures;
import io.wharf.server.oci.TestRegistry;
import io.wharf.storage.jdbc.JdbcMetadataStore;
import io.wharf.storage.jdbc.PostgresServer;
import io.wharf.storage.jdbc.SqliteMetadataStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A single-node data directory moved into PostgreSQL and another blob store; a node on the target serves it all. */
@Tag("postgres")
class MigrateCommandTest {
    private static final String KEY = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());

    @TempDir
    Path dir;

    private final String url = PostgresServer.get().createDatabase();

    @Test
    void copiesMetadataAndBlobsVerifiedAndAServerOnTheTargetServesThem() throws Exception {
        TestRegistry r = new TestRegistry();
        byte[] manifest = Fixtures.pushImage(r, "team/app", "v1");
        byte[] layerLess = Fixtures.pushImage(r, "other/tool", "latest");
        Path source = moveIntoTempDir(r.closeKeepingData());
        AccessKey key = createRootKey(source);
        Path config = targetConfig();

        CliRun first = migrate(source, config);
        assertThat(first.status()).as(first.err()).isZero();
        assertThat(first.out()).contains("every one verified");

        CliRun again = migrate(source, config);
        assertThat(again.status()).isEqualTo(WharfCommand.EXIT_FAILURE);
        assertThat(again.err()).contains("the target database is not empty");

        WharfConfig target = ConfigLoader.load(config, Map.of(), Map.of()).config()
                .withListen(new WharfConfig.Listen("127.0.0.1", 0)).withShutdownTimeout(Duration.ofSeconds(5));
        Backend backend = Wiring.open(target.withAuth(new WharfConfig.AuthSettings(false)), Map.of(),
                new PrintWriter(new StringWriter()));
        Identities identities = AuthSetup.identities(target, (JdbcMetadataStore) backend.metadata(), Clock.systemUTC());
        assertThat(identities.store().findAccessKey(key.id())).as("secret re-sealed with auth.sealing-key")
                .hasValueSatisfying(k -> assertThat(k.secret()).isEqualTo(key.secret()));
        assertThat(identities.store().findMfaDevice("000000000000", "alice")).as("MFA secret re-sealed")
                .hasValueSatisfying(d -> assertThat(d.secret()).isEqualTo(mfaSecret));
        assertThat(identities.store().findRole("000000000000", "pusher")).isPresent();
        long maxId = backend.metadata().findRepository("000000000000", RepositoryName.parse("other/tool", 255))
                .orElseThrow().id();
        assertThat(backend.metadata().createRepository("000000000000", RepositoryName.parse("new/one", 255),
                java.time.Instant.now()).id()).as("ids continue after the copied ones").isGreaterThan(maxId);

        Application app = Application.start(target, backend, registry -> Wiring.api(registry, target, backend.auth()));
        try {
            URI base = app.server().uri();
            assertThat(get(base, "/v2/team/app/manifests/v1")).isEqualTo(manifest);
            assertThat(get(base, "/v2/other/tool/manifests/latest")).isEqualTo(layerLess);
            String layer = layerDigest(manifest);
            assertThat(Fixtures.digest(get(base, "/v2/team/app/blobs/" + layer))).isEqualTo(layer);
        } finally {
            app.stop();
            app.awaitStopped();
        }
        assertThat(Files.exists(dir.resolve("target").resolve("blobs"))).isTrue();
    }

    @Test
    void aDamagedSourceBlobStopsTheMigrationBeforeAnyMetadataIsWritten() throws Exception {
        TestRegistry r = new TestRegistry();
        byte[] manifest = Fixtures.pushImage(r, "team/app", "v1");
        Files.write(r.blobFile(layerDigest(manifest)), new byte[1024]); // same size, other bytes
        Path source = moveIntoTempDir(r.closeKeepingData());
        Path config = targetConfig();
        CliRun run = migrate(source, config);
        assertThat(run.status()).isEqualTo(WharfCommand.EXIT_FAILURE);
        assertThat(run.err()).contains("missing or damaged").contains("fsck");
        try (JdbcMetadataStore target = PostgresServer.get().openStore(url)) {
            assertThat(target.listRepositories("000000000000", null, 10)).as("no metadata written").isEmpty();
        }
    }

    /** The registry's data directory, closed, moved where the test's temporary directory cleans it up. */
    private Path moveIntoTempDir(Path data) throws Exception {
        Path source = dir.resolve("source");
        Files.move(data, source);
        return source;
    }

    /** The MFA device's secret created beside the root key: sealed like it, so re-sealed by the migration too. */
    private byte[] mfaSecret;

    private AccessKey createRootKey(Path source) throws Exception {
        try (JdbcMetadataStore meta = SqliteMetadataStore.open(source)) {
            Identities ids = AuthSetup.identities(WharfConfig.defaults().withData(source), meta, Clock.systemUTC());
            ids.ensureAccount("000000000000");
            ids.createUser("000000000000", "alice");
            mfaSecret = ids.enableMfa("000000000000", "alice").secret();
            ids.createRole("000000000000", "pusher", """
                    {"Statement":[{"Effect":"Allow","Principal":{"AWS":"000000000000"},"Action":"sts:AssumeRole"}]}""", null);
            return ids.createAccessKey("000000000000", null);
        }
    }

    private Path targetConfig() throws Exception {
        return Files.writeString(dir.resolve("cluster.yaml"), """
                data: %s
                storage:
                  metadata: postgres
                  postgres:
                    url: %s
                    user: %s
                auth:
                  sealing-key: %s
                """.formatted(dir.resolve("target"), url, PostgresServer.USER, KEY));
    }

    private static CliRun migrate(Path source, Path config) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = WharfCommand.execute(Map.of(), new PrintWriter(out), new PrintWriter(err), "migrate",
                "--from-data", source.toString(), "--to-config", config.toString());
        return new CliRun(status, out.toString(), err.toString());
    }

    private static byte[] get(URI base, String path) throws Exception {
        HttpResponse<byte[]> res = HttpClient.newHttpClient().send(HttpRequest.newBuilder(base.resolve(path))
                .header("Accept", "application/vnd.oci.image.manifest.v1+json").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(res.statusCode()).as(path).isEqualTo(200);
        return res.body();
    }

    /** The manifest's one layer (Fixtures' images have exactly one). */
    private static String layerDigest(byte[] manifest) {
        String text = new String(manifest);
        int layers = text.indexOf("\"layers\"");
        int at = text.indexOf("sha256:", layers);
        return text.substring(at, at + 71);
    }
}
