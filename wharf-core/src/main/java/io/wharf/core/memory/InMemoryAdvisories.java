package io.wharf.core.memory;

import io.wharf.core.spi.AdvisoryIndex;
import java.time.Instant;
import java.util.List;

/** {@link AdvisoryIndex} in memory. */
final class InMemoryAdvisories implements AdvisoryIndex {

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
