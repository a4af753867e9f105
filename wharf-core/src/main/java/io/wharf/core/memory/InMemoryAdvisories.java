package io.wharf.core.memory;

import io.wharf.core.spi.AdvisoryIndex;
import java.io.IOException;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link AdvisoryIndex} in memory. An import collects the feed's advisories first and applies them only when the
 * feed ran to its end, under the lock: a feed that throws changes nothing.
 */
final class InMemoryAdvisories implements AdvisoryIndex {
    private final Map<String, StoredAdvisory> byId = new HashMap<>();
    private final Map<AdvisoryKey, Map<String, StoredAdvisory>> byKey = new HashMap<>();
    private final Map<String, SourceFile> sources = new HashMap<>();
    private long generation;
    private Instant importedAt;

    @Override
    public ImportResult importAdvisories(AdvisoryFeed feed, Instant now, SourceFile source) throws IOException {
        Map<String, StoredAdvisory> staged = new LinkedHashMap<>();
        feed.forEach(a -> staged.put(a.id(), a));
        synchronized (this) {
            long written = 0;
            long unchanged = 0;
            long withdrawn = 0;
            for (StoredAdvisory a : staged.values()) {
                StoredAdvisory old = byId.get(a.id());
                if (a.document() == null) {
                    withdrawn += old == null ? 0 : remove(old);
                } else if (old != null && same(old, a)) {
                    unchanged++;
                } else {
                    if (old != null) {
                        remove(old);
                    }
                    add(a);
                    written++;
                }
            }
            if (written + withdrawn > 0) {
                generation++;
                importedAt = now;
            }
            if (source != null) {
                sources.put(source.path(), source);
            }
            return new ImportResult(written, unchanged, withdrawn, advisoryState());
        }
    }

    private static boolean same(StoredAdvisory a, StoredAdvisory b) {
        return Objects.equals(a.modified(), b.modified()) && a.document().equals(b.document());
    }

    private int remove(StoredAdvisory a) {
        byId.remove(a.id());
        for (AdvisoryKey k : a.keys()) {
            Map<String, StoredAdvisory> m = byKey.get(k);
            if (m != null && m.remove(a.id()) != null && m.isEmpty()) {
                byKey.remove(k);
            }
        }
        return 1;
    }

    private void add(StoredAdvisory a) {
        byId.put(a.id(), a);
        for (AdvisoryKey k : a.keys()) {
            byKey.computeIfAbsent(k, x -> new HashMap<>()).put(a.id(), a);
        }
    }

    @Override
    public synchronized List<StoredAdvisory> advisories(String ecosystem, String name) {
        Map<String, StoredAdvisory> m = byKey.getOrDefault(new AdvisoryKey(ecosystem, name), Map.of());
        return m.values().stream().sorted(Comparator.comparing(StoredAdvisory::id)).toList();
    }

    @Override
    public synchronized AdvisoryState advisoryState() {
        Instant newest = byId.values().stream().map(StoredAdvisory::modified).filter(Objects::nonNull)
                .max(Comparator.naturalOrder()).orElse(null);
        return new AdvisoryState(generation, byId.size(), newest, importedAt);
    }

    @Override
    public synchronized Optional<SourceFile> sourceFile(String path) {
        return Optional.ofNullable(sources.get(path));
    }
}
