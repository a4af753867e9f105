package io.wharf.core.jobs;

import io.wharf.core.service.BlobScrub;
import io.wharf.core.service.Damage;
import java.util.function.Consumer;

/** One {@link BlobScrub} pass as the {@value #NAME} job; every damaged or missing blob goes to {@code onDamage}. */
public final class ScrubJob implements Job {
    public static final String NAME = "scrub";

    private final BlobScrub scrub;
    private final Consumer<Damage> onDamage;

    public ScrubJob(BlobScrub scrub, Consumer<Damage> onDamage) {
        this.scrub = scrub;
        this.onDamage = onDamage;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Interrupting the thread (a stop, a lost lease) ends the pass with a CancellationException. */
    @Override
    public JobResult run(JobContext context) {
        BlobScrub.Report report = scrub.runOnce((blobs, bytes) -> {
            context.count("blobs", blobs);
            context.count("bytes", bytes);
        });
        report.damaged().forEach(onDamage);
        context.count("blobs", report.blobs());
        context.count("bytes", report.bytes());
        context.count("damaged", report.damaged().size());
        return JobResult.ok(report.blobs() + " blobs, " + (report.bytes() >> 20) + " MiB verified in "
                + report.took().toSeconds() + " s, " + report.damaged().size() + " damaged or missing");
    }
}
