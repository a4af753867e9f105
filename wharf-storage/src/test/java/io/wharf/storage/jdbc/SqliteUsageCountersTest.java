package io.wharf.storage.jdbc;

import static io.wharf.core.spi.TestManifests.blobDigest;
import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.spi.MetadataStore;
import io.wharf.core.spi.UsageCountersContract;
import io.wharf.core.spi.UsageDrift;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteUsageCountersTest extends UsageCountersContract {

    @TempDir
    Path dataDir;

    @Override
    protected MetadataStore createStore() {
        return SqliteMetadataStore.open(dataDir);
    }

    @Test
    void aRecountFindsAndRepairsDriftedCounters() {
        store.addBlob(repo, blobDigest("x"), 100, at(1));
        Jdbc jdbc = ((JdbcMetadataStore) store).jdbc();
        jdbc.write("drift", c -> Jdbc.update(c, "UPDATE repository_usage SET blob_bytes = 7 WHERE repository_id = ?", repo)
                + Jdbc.update(c, "UPDATE registry_usage SET unlinked_blobs = unlinked_blobs + 1 WHERE shard = 3"));

        assertThat(store.recountUsage(false)).containsExactlyInAnyOrder(
                new UsageDrift("library/app", "blobBytes", 7, 100), new UsageDrift("registry", "unlinkedBlobs", 1, 0));
        assertThat(store.recountUsage(true)).hasSize(2);
        assertThat(store.recountUsage(false)).isEmpty();
        assertThat(store.repositoryUsage(repo).orElseThrow().blobBytes()).isEqualTo(100);
    }
}
