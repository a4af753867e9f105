package io.wharf.storage.jdbc;

import io.wharf.core.spi.AuditIndexContract;
import io.wharf.core.spi.MetadataStore;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteAuditIndexTest extends AuditIndexContract {

    @TempDir
    Path dataDir;

    @Override
    protected MetadataStore createStore() {
        return SqliteMetadataStore.open(dataDir);
    }
}
