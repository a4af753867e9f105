package io.wharf.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.secret.UpstreamSecret;
import io.wharf.server.app.Storage;
import io.wharf.server.auth.StoredUpstreamSecrets;
import io.wharf.server.config.WharfConfig;
import io.wharf.storage.jdbc.SqliteMetadataStore;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code wharf secrets put/list/delete} on a data directory, and the server reading what it sealed. */
class SecretsCommandTest {
    static final String NAME = "ecr-pullthroughcache/upstream";
    static final String VALUE = "{\"username\":\"robot\",\"accessToken\":\"tok-3f9a7c55e1\"}";

    @TempDir
    Path data;
    private StringWriter out;
    private StringWriter err;

    @BeforeEach
    void createDataDirectory() {
        SqliteMetadataStore.open(data).close();
    }

    private int secrets(String stdin, String... args) {
        out = new StringWriter();
        err = new StringWriter();
        String[] all = new String[args.length + 3];
        all[0] = "secrets";
        all[1] = "--data";
        all[2] = data.toString();
        System.arraycopy(args, 0, all, 3, args.length);
        return WharfCommand.execute(Map.of(), new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintWriter(out, true), new PrintWriter(err, true), all);
    }

    private Optional<UpstreamSecret> serverReads(String name) throws Exception {
        WharfConfig config = WharfConfig.defaults().withData(data);
        try (Storage storage = Storage.open(config, Storage.Access.TOOL)) {
            return StoredUpstreamSecrets.open(config, storage.metadata(), Clock.systemUTC()).read(config.account(), name);
        }
    }

    @Test
    void putSealsWhatTheServerOpensAndNothingPrintsTheValue() throws Exception {
        assertThat(secrets(VALUE, "put", NAME, "--description", "the local upstream")).as(err.toString()).isZero();
        assertThat(out.toString().strip()).isEqualTo("created");
        assertThat(serverReads(NAME)).contains(new UpstreamSecret("robot", "tok-3f9a7c55e1"));
        byte[] db = Files.readAllBytes(data.resolve(SqliteMetadataStore.FILE_NAME));
        assertThat(new String(db, StandardCharsets.ISO_8859_1)).as("stored sealed").doesNotContain("tok-3f9a7c55e1");

        assertThat(secrets("{\"username\":\"robot\",\"accessToken\":\"tok-2\"}", "put", NAME)).isZero();
        assertThat(out.toString().strip()).isEqualTo("updated");
        assertThat(serverReads(NAME).orElseThrow().accessToken()).isEqualTo("tok-2");

        assertThat(secrets("", "list")).isZero();
        assertThat(out.toString()).startsWith(NAME + "\t").doesNotContain("tok-");
        assertThat(secrets("", "delete", NAME)).isZero();
        assertThat(serverReads(NAME)).isEmpty();
        assertThat(secrets("", "delete", NAME)).isEqualTo(1);
        assertThat(err.toString()).contains("no secret named " + NAME);
    }

    @Test
    void badInputIsRefusedWithoutEchoingIt() {
        assertThat(secrets("{\"username\":\"robot\"}", "put", NAME)).isEqualTo(2);
        assertThat(err.toString()).contains("accessToken");
        assertThat(secrets("not json tok-secret", "put", NAME)).isEqualTo(2);
        assertThat(err.toString()).contains("not JSON").doesNotContain("tok-secret");
        assertThat(secrets(VALUE, "put", "bad name")).isEqualTo(2);
        assertThat(secrets("{\"username\":\"u\",\"accessToken\":\"" + "x".repeat(70_000) + "\"}", "put", NAME)).isEqualTo(2);
        assertThat(err.toString()).contains("65536");
        assertThat(secrets("", "list")).isZero();
        assertThat(out.toString()).isEmpty();
    }
}
