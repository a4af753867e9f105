package io.wharf.storage.jdbc;

import io.wharf.core.service.WriteRaceContract;
import io.wharf.core.spi.MetadataStore;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The write races against real SQLite, with the server's read cache (the store is opened as its sole writer). */
class SqliteWriteRaceTest extends WriteRaceContract {
    @TempDir
    Path dataDir;

    @Override
    protected MetadataStore createStore() throws IOException {
        return SqliteMetadataStore.openExclusive(dataDir);
    }
}
