package io.wharf.server.usage;

import io.wharf.core.event.EventSubscriber;
import io.wharf.core.service.Registry;
import io.wharf.core.usage.PullCounter;
import io.wharf.core.usage.PullEvents;
import io.wharf.core.usage.QuotaWatcher;
import io.wharf.core.usage.UsageSettings;
import io.wharf.server.observe.RequestObserver;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The usage parts of a running server: the pull counter and its observer and flushes, the quota watcher, the meters. */
public final class UsageWiring {
    private static final Logger LOG = LoggerFactory.getLogger(UsageWiring.class);

    private final Registry registry;
    private final UsageSettings settings;
    private final PullCounter counter;

    public UsageWiring(Registry registry, UsageSettings settings) {
        this.registry = registry;
        this.settings = settings;
        this.counter = new PullCounter(Clock.systemUTC(), settings.pullEvents());
        registry.manifests().emitDailyPullEvents(settings.pullEvents() == PullEvents.DAILY);
    }

    public RequestObserver observer() {
        return new UsageObserver(counter);
    }

    /** The outbox subscriber that writes quota warnings. */
    public EventSubscriber quotaWatcher() {
        return new QuotaWatcher(registry.metadata(), new QuotaWatcher.Limits(registry.quotas().imagesPerRepository(),
                settings.storageQuotaBytes(), settings.warnRatio()), Clock.systemUTC());
    }

    /** The usage gauges, registered with the process's Prometheus registry. */
    public UsageMeters registerMeters(io.micrometer.prometheusmetrics.PrometheusMeterRegistry meters) {
        return UsageMeters.register(meters, registry.metadata(), settings.meterCache(), settings.meterRepositories());
    }

    /** Flushes the counted pulls every {@code usage.flush-interval}. */
    public void start(ScheduledExecutorService upkeep) {
        long every = settings.flushInterval().toMillis();
        upkeep.scheduleWithFixedDelay(this::flush, every, every, TimeUnit.MILLISECONDS);
    }

    /** Writes what was counted (also at shutdown, after the last request); a failure keeps it for the next flush. */
    public void flush() {
        try {
            counter.flush(registry.metadata());
        } catch (RuntimeException e) {
            LOG.warn("usage: flushing pull counts failed; they are kept for the next flush: {}", e.toString());
        }
    }
}
