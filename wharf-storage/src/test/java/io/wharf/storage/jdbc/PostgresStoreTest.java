package io.wharf.storage.jdbc;

import static io.wharf.core.spi.TestManifests.blobDigest;
import static io.wharf.core.spi.TestManifests.image;
import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.model.Digest;
import io.wharf.core.model.Manifest;
import io.wharf.core.model.Tag;
import io.wharf.core.spi.MetadataStore;
import io.wharf.core.spi.MetadataStoreFixture;
import io.wharf.core.spi.UploadAdmission;
import io.wharf.core.spi.UploadSession;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What only the PostgreSQL store has to show: migrations on reopening, byte-order pagination, parallel writers. */
@org.junit.jupiter.api.Tag("postgres")
class PostgresStoreTest extends MetadataStoreFixture {

    private final PostgresServer server = PostgresServer.get();
    private String url;

    @Override
    protected MetadataStore createStore() {
        url = server.createDatabase();
        return server.openStore(url);
    }

    @Test
    void reopeningMigratesNothingAndTheDataSurvives() {
        Manifest m = image("durable", List.of());
        store.putManifest(repo, m, tag("keep"), at(1));
        store.close();
        store = server.openStore(url);
        assertThat(store.resolveTag(repo, tag("keep"))).contains(m.digest());
        assertThat(store.findManifest(repo, m.digest()).orElseThrow().content()).isEqualTo(m.content());
    }

    @Test
    void tagsArePaginatedInByteOrderWhateverTheDatabaseLocale() {
        Manifest m = image("m", List.of());
        for (String t : List.of("b", "B", "a", "A", "_x", "0")) {
            store.putManifest(repo, m, tag(t), at(1));
        }
        assertThat(store.listTags(repo, null, 10)).extracting(Tag::value)
                .containsExactly("0", "A", "B", "_x", "a", "b");
        assertThat(store.listTags(repo, tag("B"), 10)).extracting(Tag::value).containsExactly("_x", "a", "b");
    }

    /** The contract's cap race, repeated: under READ COMMITTED two counts could both see room (issue 10). */
    @Test
    void concurrentOpensNeverOvershootTheCapRoundAfterRound() throws Exception {
        for (int round = 0; round < 30; round++) {
            String owner = "owner-" + round;
            int r = round;
            List<UploadAdmission> results = concurrently(16, i -> () -> store.createUpload(
                    new UploadSession("u-" + r + "-" + i, repo, 0, T0, at(60), owner), 3, 1000));
            assertThat(results).as("round " + round).filteredOn(a -> a == UploadAdmission.OPENED).hasSize(3);
        }
    }

    @Test
    void concurrentWritersOnSeveralConnectionsAllCommit() throws Exception {
        int threads = 8;
        concurrently(threads, t -> () -> {
            for (int i = 0; i < 20; i++) {
                Digest layer = blobDigest("pg-" + t + "-" + i);
                store.addBlob(repo, layer, i, at(i));
                store.putManifest(repo, image("pg-" + t + "-" + i, List.of(layer)), tag("t" + t + "-" + i), at(i));
            }
            return null;
        });
        assertThat(store.listTags(repo, null, 1000)).hasSize(threads * 20);
    }
}
