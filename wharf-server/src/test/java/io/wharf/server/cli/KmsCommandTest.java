package io.wharf.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.storage.jdbc.SqliteMetadataStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code wharf kms create-key/list/rotate-key} on a data directory's key store. */
class KmsCommandTest {
    @TempDir
    Path data;
    private String out;
    private String err;

    @BeforeEach
    void createDataDirectory() {
        SqliteMetadataStore.open(data).close();
    }

    private int kms(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        String[] all = new String[args.length + 3];
        all[0] = "kms";
        all[1] = "--data";
        all[2] = data.toString();
        System.arraycopy(args, 0, all, 3, args.length);
        int status = WharfCommand.execute(Map.of(), new PrintWriter(o, true), new PrintWriter(e, true), all);
        out = o.toString();
        err = e.toString();
        return status;
    }

    @Test
    void createListRotate() throws Exception {
        assertThat(kms("create-key", "team-a")).as(err).isZero();
        assertThat(out.strip()).isEqualTo("arn:aws:kms:us-east-1:000000000000:key/team-a");
        assertThat(kms("rotate-key", "team-a")).as(err).isZero();
        assertThat(kms("list")).as(err).isZero();
        assertThat(out).contains("team-a").containsPattern("team-a\\s+2\\s+arn:aws:kms:");
        assertThat(data.resolve("keys/encryption-master-key")).exists();
        byte[] master = Files.readAllBytes(data.resolve("keys/encryption-master-key"));
        byte[] kek = Files.readAllBytes(data.resolve("keys/encryption/kek-team-a.keyset"));
        assertThat(new String(kek, java.nio.charset.StandardCharsets.ISO_8859_1))
                .doesNotContain(new String(master, java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    @Test
    void badNamesDuplicatesAndUnknownKeysAreUsageErrors() {
        assertThat(kms("create-key", "no/slashes")).isEqualTo(2);
        assertThat(err).contains("a key name is 1 to 64");
        assertThat(kms("create-key", "k")).isZero();
        assertThat(kms("create-key", "k")).isEqualTo(2);
        assertThat(err).contains("already exists");
        assertThat(kms("rotate-key", "nope")).isEqualTo(2);
        assertThat(err).contains("no key named nope");
    }
}
