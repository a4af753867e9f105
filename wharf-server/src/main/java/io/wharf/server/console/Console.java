package io.wharf.server.console;

import io.wharf.core.pullthrough.PullThroughService;
import io.wharf.core.replication.ReplicationService;
import io.wharf.core.service.Registry;
import io.wharf.scan.service.ScanService;
import io.wharf.server.auth.Auth;
import io.wharf.server.config.WharfConfig;
import io.wharf.server.jobs.StandardJobs;
import java.time.Clock;

/** Builds the console's handler from the configuration ({@code console.*}, docs/console.md). */
public final class Console {

    private Console() {
    }

    /**
     * The console's handler; null when {@code console.enabled} is false.
     *
     * @param pullThrough the pull-through cache's rules; null: not served
     */
    public static ConsoleHandler handler(Registry registry, ScanService scans, Auth auth, WharfConfig config,
                                         ReplicationService replication, PullThroughService pullThrough) {
        return handler(registry, scans, auth, config, replication, pullThrough, Clock.systemUTC(), Thread::sleep);
    }

    /** As above, on {@code clock}, with the throttle's delays waited by {@code pause} (tests). */
    static ConsoleHandler handler(Registry registry, ScanService scans, Auth auth, WharfConfig config,
                                  ReplicationService replication, PullThroughService pullThrough, Clock clock,
                                  SignInThrottle.Pause pause) {
        WharfConfig.Console c = config.console();
        if (!c.enabled()) {
            return null;
        }
        ConsoleContext context = new ConsoleContext(registry, scans, auth, config.region(),
                config.limits().maxNameLength(), !config.auth().enabled(), config.account(), c.pageSize(),
                AdminContext.of(replication, pullThrough, auth));
        ConsoleSessions sessions = new ConsoleSessions(registry.metadata().consoleSessions(), c.idleTimeout(),
                c.maxAge(), clock, auth::credentialStillValid);
        SignInThrottle throttle = new SignInThrottle(registry.metadata().consoleSessions(), c.signIn(), clock, pause);
        InsightPages insight = new InsightPages(context, config.insight().settings().enabled()
                ? StandardJobs.insightService(config, registry) : null);
        return new ConsoleHandler(context, sessions, new Cookies(config.tls().isPresent()), throttle,
                PageRoutes.table(new GalleryPages(context, config.gallery().pageSize()), insight));
    }
}
