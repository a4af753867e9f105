package io.wharf.core.webhook;

import io.wharf.core.jobs.Job;
import io.wharf.core.jobs.JobContext;
import io.wharf.core.jobs.JobResult;

/**
 * {@value #NAME}: sends the due webhook deliveries ({@link WebhookRunner}). Scheduled every {@code webhooks.interval}
 * (for retries), and woken by the subscriber when it queues deliveries.
 */
public final class WebhookJob implements Job {
    public static final String NAME = "webhooks";

    private final WebhookRunner runner;

    public WebhookJob(WebhookRunner runner) {
        this.runner = runner;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Deliveries were queued while a run goes on here: it claims them now rather than after its idle wait. */
    @Override
    public void nudge() {
        runner.nudge();
    }

    @Override
    public JobResult run(JobContext context) {
        WebhookRunner.Counts c = runner.runDue(context::cancelled);
        context.count("delivered", c.delivered());
        context.count("dead", c.dead());
        context.count("retried", c.retried());
        return JobResult.ok("delivered " + c.delivered() + ", dead " + c.dead() + ", to retry " + c.retried(),
                c.delivered() + c.dead() + c.retried() == 0);
    }
}
