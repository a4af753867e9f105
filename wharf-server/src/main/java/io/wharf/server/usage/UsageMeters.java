package io.wharf.server.usage;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.wharf.core.spi.AccountRepositoryUsage;
import io.wharf.core.spi.RegistryUsage;
import io.wharf.core.spi.RepositoryUsage;
import io.wharf.core.spi.UsageIndex;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The usage gauges at {@code /metrics}: images and stored bytes per repository and in total, read from the usage
 * counters (two small queries) at most once per {@code cache} period, whatever the scrape rate. The repository
 * label is bounded: the {@code maxRepositories} largest repositories (manifest and blob bytes) each have their own,
 * the rest are summed under {@code account="_other",repository="_other"}.
 */
public final class UsageMeters implements MultiCollector {
    static final String OTHER = "_other";

    private record Reading(Instant at, RegistryUsage total, List<AccountRepositoryUsage> largest) {
    }

    private final UsageIndex usage;
    private final Clock clock;
    private final Duration cache;
    private final int maxRepositories;
    private volatile Reading last;

    public UsageMeters(UsageIndex usage, Clock clock, Duration cache, int maxRepositories) {
        this.usage = usage;
        this.clock = clock;
        this.cache = cache;
        this.maxRepositories = maxRepositories;
    }

    /** Registers the gauges with the Prometheus registry behind {@code registry}. */
    public static UsageMeters register(io.micrometer.prometheusmetrics.PrometheusMeterRegistry registry,
                                       UsageIndex usage, Duration cache, int maxRepositories) {
        UsageMeters meters = new UsageMeters(usage, Clock.systemUTC(), cache, maxRepositories);
        registry.getPrometheusRegistry().register(meters);
        return meters;
    }

    @Override
    public MetricSnapshots collect() {
        Reading r = reading();
        List<GaugeDataPointSnapshot> images = new ArrayList<>();
        List<GaugeDataPointSnapshot> bytes = new ArrayList<>();
        long restImages = r.total().images();
        long restBytes = stored(r.total());
        for (AccountRepositoryUsage a : r.largest()) {
            RepositoryUsage u = a.usage();
            Labels labels = Labels.of("account", a.account(), "repository", u.name().value());
            images.add(point(u.images(), labels));
            bytes.add(point(u.logicalBytes(), labels));
            restImages -= u.images();
            restBytes -= u.logicalBytes();
        }
        if (r.total().repositories() > r.largest().size()) {
            Labels other = Labels.of("account", OTHER, "repository", OTHER);
            images.add(point(restImages, other));
            bytes.add(point(Math.max(restBytes, 0), other));
        }
        return MetricSnapshots.of(
                gauge("wharf_repository_images", "Images (manifests) in the repository", images),
                gauge("wharf_repository_stored_bytes", "Manifest and linked blob bytes of the repository (logical:"
                        + " a blob shared by two repositories counts in both)", bytes),
                gauge("wharf_registry_images", "Images (manifests) in every repository",
                        List.of(point(r.total().images(), Labels.EMPTY))),
                gauge("wharf_registry_stored_bytes", "Bytes stored: every blob once, and every manifest",
                        List.of(point(stored(r.total()), Labels.EMPTY))));
    }

    /** What the store holds: blobs deduplicated, plus manifests (stored per repository). */
    private static long stored(RegistryUsage total) {
        return total.blobBytes() + total.manifestBytes();
    }

    private Reading reading() {
        Reading r = last;
        Instant now = clock.instant();
        if (r == null || !now.isBefore(r.at().plus(cache))) {
            r = new Reading(now, usage.registryUsage(), usage.largestRepositories(maxRepositories));
            last = r;
        }
        return r;
    }

    private static GaugeDataPointSnapshot point(double value, Labels labels) {
        return GaugeDataPointSnapshot.builder().value(value).labels(labels).build();
    }

    private static GaugeSnapshot gauge(String name, String help, List<GaugeDataPointSnapshot> points) {
        GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help);
        points.forEach(b::dataPoint);
        return b.build();
    }
}
