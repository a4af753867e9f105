package io.wharf.scan.insight;

import io.wharf.core.jobs.Job;
import io.wharf.core.jobs.JobContext;
import io.wharf.core.jobs.JobResult;

/**
 * {@value #NAME}: reads the layers of queued images that have no insight record yet (each layer digest once, for
 * every image and repository that has it), and hourly drops the records of layers no longer stored. Scheduled every {@code insight.interval} and woken when an image is
 * queued; the job's lease makes one node at a time run it.
 */
public final class InsightJob implements Job {
    public static final String NAME = "insight";

    private final LayerInsightService service;

    public InsightJob(LayerInsightService service) {
        this.service = service;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public JobResult run(JobContext context) {
        int images = 0;
        int layers = 0;
        LayerInsightService.Round round;
        do {
            round = service.runQueued(context::cancelled);
            images += round.images();
            layers += round.layers();
        } while (round.images() > 0 && !context.cancelled());
        int pruned = service.pruneIfDue(context::cancelled);
        context.count("images", images);
        context.count("layers", layers);
        context.count("pruned", pruned);
        return JobResult.ok("read " + layers + " layers of " + images + " images, pruned " + pruned + " records",
                images + pruned == 0);
    }
}
