package io.wharf.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.core.spi.MetadataStore;
import io.wharf.core.template.AppliedFor;
import org.junit.jupiter.api.Test;
import io.wharf.core.spi.TemplateIndexContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteTemplateIndexTest extends TemplateIndexContract {

    @TempDir
    Path dataDir;

    @Override
    protected MetadataStore createStore() {
        return SqliteMetadataStore.open(dataDir);
    }

    @Test
    void aTemplateWrittenInAFailedUnitOfWorkIsRolledBack() {
        assertThatThrownBy(() -> store.inTransaction("create then fail", unit -> {
            store.templates().createTemplate(ACCOUNT, template("gone", 1, AppliedFor.REPLICATION));
            assertThat(store.templates().findTemplate(ACCOUNT, "gone")).as("seen inside").isPresent();
            throw new IllegalStateException("boom");
        })).hasMessage("boom");
        assertThat(store.templates().findTemplate(ACCOUNT, "gone")).isEmpty();
    }
}
