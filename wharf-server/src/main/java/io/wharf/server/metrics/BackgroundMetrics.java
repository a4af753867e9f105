package io.wharf.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.wharf.core.event.EventDispatcher;
import io.wharf.core.spi.UploadIndex;
import io.wharf.server.jobs.JobScheduler;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Meters of the work behind the API: background job runs, the event dispatcher's lag per subscriber and the
 * open upload sessions. The gauges read the database at most once per {@link #GAUGE_TTL} whoever scrapes.
 */
public final class BackgroundMetrics {
    static final Logger LOG = LoggerFactory.getLogger(BackgroundMetrics.class);
    static final Duration GAUGE_TTL = Duration.ofSeconds(5);

    private BackgroundMetrics() {
    }

    /** {@code wharf_job_runs_total{job,outcome}} and {@code wharf_job_run_duration_seconds{job,outcome}}. */
    public static void jobs(MeterRegistry registry, JobScheduler scheduler) {
        scheduler.onRunEnded((job, result, took) -> {
            String outcome = result.outcome().name().toLowerCase(Locale.ROOT);
            Counter.builder("wharf.job.runs").description("Background job runs ended on this node, by outcome")
                    .tags("job", job, "outcome", outcome).register(registry).increment();
            Timer.builder("wharf.job.run.duration").description("How long background job runs took")
                    .tags("job", job, "outcome", outcome).register(registry).record(took);
        });
    }

    /**
     * {@code wharf_events_pending{subscriber}} (events written after the subscriber's cursor) and {@code
     * wharf_events_pending_age_seconds{subscriber}} (age of the oldest of them; 0 when caught up).
     */
    public static void events(MeterRegistry registry, EventDispatcher dispatcher, Clock clock) {
        Cached<List<EventDispatcher.Lag>> lag = new Cached<>(dispatcher::lag, List.of(), GAUGE_TTL.toNanos());
        for (String subscriber : dispatcher.subscriberNames()) {
            Gauge.builder("wharf.events.pending", lag, l -> find(l.get(), subscriber).events())
                    .description("Outbox events the subscriber has not handled yet").tag("subscriber", subscriber)
                    .strongReference(true).register(registry);
            Gauge.builder("wharf.events.pending.age", lag, l -> find(l.get(), subscriber).oldestPending()
                            .map(at -> Math.max(0, clock.millis() - at.toEpochMilli()) / 1000.0).orElse(0.0))
                    .description("Age of the oldest outbox event the subscriber has not handled (0: caught up)")
                    .baseUnit("seconds").tag("subscriber", subscriber).strongReference(true).register(registry);
        }
    }

    private static EventDispatcher.Lag find(List<EventDispatcher.Lag> lags, String subscriber) {
        for (EventDispatcher.Lag l : lags) {
            if (l.subscriber().equals(subscriber)) {
                return l;
            }
        }
        return new EventDispatcher.Lag(subscriber, 0, java.util.Optional.empty());
    }

    /** {@code wharf_uploads_open}: upload sessions not expired, in the whole registry (every node's). */
    public static void uploads(MeterRegistry registry, UploadIndex uploads, Clock clock) {
        Cached<Long> open = new Cached<>(() -> uploads.openUploads(clock.instant()), 0L, GAUGE_TTL.toNanos());
        Gauge.builder("wharf.uploads.open", open, o -> o.get()).description("Upload sessions open (not expired)")
                .strongReference(true).register(registry); // nothing else holds the cache: a weak one would read NaN
    }

}
