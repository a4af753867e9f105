package io.wharf.storage.jdbc;

import io.wharf.core.spi.MetadataStore;
import io.wharf.core.spi.UsageIndexContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteUsageIndexTest extends UsageIndexContract {

    @TempDir
    Path dataDir;

    @Override
    protected MetadataStore createStore() {
        return SqliteMetadataStore.open(dataDir);
    }
}
