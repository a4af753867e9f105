package io.wharf.server.jobs;

import io.wharf.core.jobs.Job;
import io.wharf.core.jobs.JobContext;
import io.wharf.core.jobs.JobResult;
import io.wharf.core.spi.AdvisoryIndex;
import io.wharf.core.spi.AdvisoryIndex.SourceFile;
import io.wharf.scan.vuln.OsvImport;
import io.wharf.scan.vuln.OsvImport.FileResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@value #NAME} job: imports the data files of the watched directory that are new or changed since they were
 * last imported. A file is "unchanged" when its size and mtime match what the index remembers (then it is not even
 * read); when they differ its SHA-256 decides, so a touched but identical file is skipped too. Each file is one
 * transaction that also remembers the file; a file that fails is logged and tried again at the next run.
 */
public final class VulnDbImportJob implements Job {
    public static final String NAME = "vulndb-import";
    private static final Logger LOG = LoggerFactory.getLogger(VulnDbImportJob.class);

    private final AdvisoryIndex index;
    private final Path dir;
    private final OsvImport.Limits limits;
    private final Clock clock;

    public VulnDbImportJob(AdvisoryIndex index, Path dir, OsvImport.Limits limits, Clock clock) {
        this.index = index;
        this.dir = dir;
        this.limits = limits;
        this.clock = clock;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public JobResult run(JobContext context) {
        if (!Files.isDirectory(dir)) {
            return JobResult.failed("vulndb.watch-dir " + dir + " is not a directory");
        }
        List<String> failures = new ArrayList<>();
        try {
            for (Path file : OsvImport.files(dir, limits)) {
                if (context.cancelled()) {
                    return JobResult.cancelled("stopped after " + failures.size() + " failures");
                }
                importIfChanged(file, context, failures);
            }
        } catch (IOException e) {
            return JobResult.failed(dir + ": " + e.getMessage());
        }
        return failures.isEmpty() ? JobResult.ok("up to date: " + index.advisoryState().count() + " advisories")
                : JobResult.failed(failures.size() + " files not imported: " + String.join("; ", failures));
    }

    private void importIfChanged(Path file, JobContext context, List<String> failures) throws IOException {
        String key = file.toAbsolutePath().normalize().toString();
        Optional<SourceFile> known = index.sourceFile(key);
        if (known.isPresent() && known.get().size() == Files.size(file)
                && known.get().modifiedAt().equals(Files.getLastModifiedTime(file).toInstant())) {
            context.add("unchanged-files", 1);
            return;
        }
        SourceFile now = OsvImport.describe(file);
        if (known.isPresent() && known.get().sha256().equals(now.sha256())) {
            index.importAdvisories(sink -> { }, clock.instant(), now); // remember the new mtime only
            context.add("unchanged-files", 1);
            return;
        }
        FileResult r = OsvImport.importFile(index, file, clock, limits, now);
        if (r.failed()) {
            LOG.warn("vulndb-import: {}", r.error());
            failures.add(r.error());
            context.add("failed-files", 1);
        } else {
            LOG.info("vulndb-import: {}: {} written, {} unchanged, {} withdrawn", file, r.result().written(),
                    r.result().unchanged(), r.result().withdrawn());
            context.add("imported-files", 1);
            context.add("written", r.result().written());
            context.add("withdrawn", r.result().withdrawn());
        }
    }
}
