package io.wharf.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.core.model.RepositoryName;
import io.wharf.core.service.ImplicitCreationContract;
import io.wharf.core.service.RepoKey;
import io.wharf.core.service.Registry;
import io.wharf.core.spi.MetadataStore;
import io.wharf.core.template.AppliedFor;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteImplicitCreationTest extends ImplicitCreationContract {

    @TempDir
    Path dataDir;

    @Override
    protected MetadataStore createStore() {
        return SqliteMetadataStore.open(dataDir);
    }

    @Test
    void aFailedUnitOfWorkLeavesNoRepositoryNorItsTemplateDocumentsBehind() {
        Registry r = registry(true);
        r.templates().create(ACCOUNT, template("ROOT", "x", AppliedFor.REPLICATION));
        RepoKey key = new RepoKey(ACCOUNT, new RepositoryName("rolled/back"));
        assertThatThrownBy(() -> store.inTransaction("fail", unit -> {
            r.repositories().createImplicitly(unit, key, AppliedFor.REPLICATION);
            assertThat(unit.findRepository(ACCOUNT, key.name())).as("seen inside").isPresent();
            throw new IllegalStateException("boom");
        })).hasMessage("boom");
        assertThat(store.findRepository(ACCOUNT, key.name())).isEmpty();
        assertThat(store.countRepositories(ACCOUNT)).isEqualTo(2); // the fixture's two
    }
}
