package io.wharf.storage.jdbc;

import io.wharf.core.spi.AdvisoryIndex;
import java.time.Instant;
import java.util.List;

/** {@link AdvisoryIndex} in the metadata database. */
final class JdbcAdvisories implements AdvisoryIndex {
    private final Jdbc jdbc;

    JdbcAdvisories(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public ImportResult importAdvisories(AdvisoryFeed feed, Instant now) {
        throw new UnsupportedOperationException("not built yet");
    }

    @Override
    public List<StoredAdvisory> advisories(String ecosystem, String name) {
        throw new UnsupportedOperationException("not built yet");
    }

    @Override
    public AdvisoryState advisoryState() {
        throw new UnsupportedOperationException("not built yet");
    }
}
