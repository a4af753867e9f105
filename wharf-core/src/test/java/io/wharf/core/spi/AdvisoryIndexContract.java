package io.wharf.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.core.spi.AdvisoryIndex.AdvisoryKey;
import io.wharf.core.spi.AdvisoryIndex.AdvisoryState;
import io.wharf.core.spi.AdvisoryIndex.ImportResult;
import io.wharf.core.spi.AdvisoryIndex.SourceFile;
import io.wharf.core.spi.AdvisoryIndex.StoredAdvisory;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The contract of {@link AdvisoryIndex}; every backend runs it. */
public abstract class AdvisoryIndexContract extends MetadataStoreFixture {
    private static final AdvisoryKey OPENSSL = new AdvisoryKey("Debian:12", "openssl");
    private static final AdvisoryKey LODASH = new AdvisoryKey("npm", "lodash");

    private AdvisoryIndex index() {
        return store.advisories();
    }

    private static StoredAdvisory advisory(String id, long modified, String doc, AdvisoryKey... keys) {
        return new StoredAdvisory(id, at(modified), Set.of(keys), doc);
    }

    private ImportResult importAll(StoredAdvisory... advisories) throws IOException {
        return index().importAdvisories(sink -> List.of(advisories).forEach(sink), at(100));
    }

    @Test
    void anEmptyIndexHasGenerationZeroAndNoAdvisories() {
        assertThat(index().advisoryState()).isEqualTo(new AdvisoryState(0, 0, null, null));
        assertThat(index().advisories("Debian:12", "openssl")).isEmpty();
    }

    @Test
    void advisoriesAreFoundByEveryKeyTheyName() throws IOException {
        ImportResult r = importAll(advisory("CVE-1", 5, "{\"a\":1}", OPENSSL, LODASH), advisory("CVE-2", 7, "{}", LODASH));
        assertThat(r.written()).isEqualTo(2);
        assertThat(r.state()).isEqualTo(new AdvisoryState(1, 2, at(7), at(100)));
        assertThat(index().advisories("Debian:12", "openssl")).extracting(StoredAdvisory::id, StoredAdvisory::document)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("CVE-1", "{\"a\":1}"));
        assertThat(index().advisories("npm", "lodash")).extracting(StoredAdvisory::id).containsExactly("CVE-1", "CVE-2");
        assertThat(index().advisories("npm", "Lodash")).as("exact strings").isEmpty();
        assertThat(index().advisories("Debian:11", "openssl")).isEmpty();
    }

    @Test
    void anIdenticalImportChangesNothingAndKeepsTheGeneration() throws IOException {
        importAll(advisory("CVE-1", 5, "{}", OPENSSL));
        ImportResult again = importAll(advisory("CVE-1", 5, "{}", OPENSSL));
        assertThat(again.written()).isZero();
        assertThat(again.unchanged()).isEqualTo(1);
        assertThat(again.state().generation()).isEqualTo(1);
    }

    @Test
    void aNewerVersionReplacesTheOldOneAndItsKeys() throws IOException {
        importAll(advisory("CVE-1", 5, "{}", OPENSSL));
        ImportResult r = importAll(advisory("CVE-1", 6, "{\"v\":2}", LODASH));
        assertThat(r.written()).isEqualTo(1);
        assertThat(r.state().generation()).isEqualTo(2);
        assertThat(index().advisories("Debian:12", "openssl")).isEmpty();
        assertThat(index().advisories("npm", "lodash")).extracting(StoredAdvisory::document).containsExactly("{\"v\":2}");
        assertThat(index().advisoryState().count()).isEqualTo(1);
    }

    @Test
    void aNullDocumentWithdrawsTheAdvisory() throws IOException {
        importAll(advisory("CVE-1", 5, "{}", OPENSSL), advisory("CVE-2", 9, "{}", OPENSSL));
        ImportResult r = importAll(advisory("CVE-2", 10, null), advisory("CVE-3", 10, null));
        assertThat(r.withdrawn()).as("only a stored one counts").isEqualTo(1);
        assertThat(r.state()).isEqualTo(new AdvisoryState(2, 1, at(5), at(100)));
        assertThat(index().advisories("Debian:12", "openssl")).extracting(StoredAdvisory::id).containsExactly("CVE-1");
        assertThat(importAll(advisory("CVE-9", 1, null)).state().generation()).as("nothing withdrawn").isEqualTo(2);
    }

    @Test
    void aFeedThatFailsMidwayChangesNothing() throws IOException {
        importAll(advisory("CVE-0", 1, "{}", OPENSSL));
        AdvisoryState before = index().advisoryState();
        assertThatThrownBy(() -> index().importAdvisories(sink -> {
            for (int i = 0; i < 1200; i++) {
                sink.accept(advisory("CVE-" + i, 2, "{\"n\":" + i + "}", OPENSSL, LODASH));
            }
            throw new IOException("damaged at record 1200");
        }, at(200), new SourceFile("x.json", 1, at(1), "ab"))).isInstanceOf(IOException.class).hasMessageContaining("1200");
        assertThat(index().advisoryState()).isEqualTo(before);
        assertThat(index().advisories("npm", "lodash")).isEmpty();
        assertThat(index().advisories("Debian:12", "openssl")).extracting(StoredAdvisory::document).containsExactly("{}");
        assertThat(index().sourceFile("x.json")).isEmpty();
    }

    @Test
    void aLargeImportIsStoredWhole() throws IOException {
        List<StoredAdvisory> many = IntStream.range(0, 2500)
                .mapToObj(i -> advisory("GHSA-" + i, i, "{}", new AdvisoryKey("npm", "p" + (i % 10)))).toList();
        ImportResult r = index().importAdvisories(sink -> many.forEach(sink), at(100));
        assertThat(r.written()).isEqualTo(2500);
        assertThat(r.state().count()).isEqualTo(2500);
        assertThat(r.state().newestModified()).isEqualTo(at(2499));
        assertThat(index().advisories("npm", "p3")).hasSize(250);
    }

    @Test
    void theSourceFileIsRememberedWithTheImport() throws IOException {
        SourceFile f = new SourceFile("/data/osv/npm/all.zip", 1234, at(3), "abcd");
        index().importAdvisories(sink -> sink.accept(advisory("CVE-1", 5, "{}", OPENSSL)), at(100), f);
        assertThat(index().sourceFile(f.path())).contains(f);
        SourceFile g = new SourceFile(f.path(), 99, at(4), "ef");
        ImportResult r = index().importAdvisories(sink -> sink.accept(advisory("CVE-1", 5, "{}", OPENSSL)), at(101), g);
        assertThat(index().sourceFile(f.path())).contains(g);
        assertThat(r.state().generation()).as("the file alone is no change to the data").isEqualTo(1);
    }
}
