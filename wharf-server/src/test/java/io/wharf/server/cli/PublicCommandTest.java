package io.wharf.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.model.RepositoryName;
import io.wharf.storage.jdbc.SqliteMetadataStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code wharf public add/remove/list} on a data directory's database. */
class PublicCommandTest {
    private static final String ACCOUNT = "000000000000";

    @TempDir
    Path data;

    private CliRun wharf(String... args) {
        return CliRun.run(Map.of(), data, "public", args);
    }

    @Test
    void addListRemove() {
        try (var store = SqliteMetadataStore.open(data)) {
            store.createRepository(ACCOUNT, new RepositoryName("team/app"), Instant.now());
            store.createRepository(ACCOUNT, new RepositoryName("team/other"), Instant.now());
        }

        assertThat(wharf("list").out()).isEmpty();
        CliRun added = wharf("add", "team/app");
        assertThat(added.status()).as(added.err()).isZero();
        assertThat(wharf("list").out()).isEqualTo("team/app\t\n");
        assertThat(wharf("list", "--query", "other").out()).isEmpty();

        CliRun missing = wharf("add", "no/such");
        assertThat(missing.status()).isEqualTo(WharfCommand.EXIT_FAILURE);
        assertThat(missing.err()).contains("wharf public: no repository no/such");
        CliRun bad = wharf("add", "Bad Name");
        assertThat(bad.status()).isEqualTo(WharfCommand.EXIT_USAGE);

        assertThat(wharf("remove", "team/app").status()).isZero();
        assertThat(wharf("list").out()).isEmpty();
    }
}
