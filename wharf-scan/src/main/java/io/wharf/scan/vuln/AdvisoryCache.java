package io.wharf.scan.vuln;

import io.wharf.core.spi.AdvisoryIndex;
import io.wharf.core.spi.AdvisoryIndex.AdvisoryKey;
import io.wharf.core.spi.AdvisoryIndex.StoredAdvisory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Parsed advisories per (ecosystem, name), shared by the matches of many images (a rescan of every image after an
 * import): valid for one {@code advisoryState().generation} and emptied when the generation moves on. Bounded:
 * past {@code maxKeys} entries it starts again empty. Thread-safe.
 */
public final class AdvisoryCache {
    /** Enough for the packages of thousands of images (a key's parsed advisories are a few KiB at most). */
    public static final int DEFAULT_MAX_KEYS = 50_000;

    private final AdvisoryIndex index;
    private final int maxKeys;
    private volatile long generation = -1;
    private final Map<AdvisoryKey, List<Advisory>> parsed = new ConcurrentHashMap<>();

    public AdvisoryCache(AdvisoryIndex index) {
        this(index, DEFAULT_MAX_KEYS);
    }

    public AdvisoryCache(AdvisoryIndex index, int maxKeys) {
        this.index = index;
        this.maxKeys = Math.max(1, maxKeys);
    }

    /** Called once per match: forgets everything when the index's generation changed since the last call. */
    synchronized void refresh() {
        long now = index.advisoryState().generation();
        if (now != generation) {
            parsed.clear();
            generation = now;
        }
    }

    /** The parsed advisories naming {@code key}. */
    List<Advisory> advisories(AdvisoryKey key) {
        List<Advisory> hit = parsed.get(key);
        if (hit != null) {
            return hit;
        }
        List<Advisory> out = new ArrayList<>();
        for (StoredAdvisory s : index.advisories(key.ecosystem(), key.name())) {
            Advisory a = s.document() == null ? null : OsvRecords.read(s.document());
            if (a != null) {
                out.add(a);
            }
        }
        if (parsed.size() >= maxKeys) {
            parsed.clear();
        }
        parsed.put(key, List.copyOf(out));
        return out;
    }

    /** The generation the cached entries belong to (-1 before the first match). */
    public long generation() {
        return generation;
    }
}
