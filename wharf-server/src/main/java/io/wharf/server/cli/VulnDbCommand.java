package io.wharf.server.cli;

import io.wharf.core.spi.AdvisoryIndex;
import io.wharf.core.spi.AdvisoryIndex.AdvisoryState;
import io.wharf.core.spi.AdvisoryIndex.ImportResult;
import io.wharf.scan.vuln.OsvImport;
import io.wharf.scan.vuln.OsvImport.FileResult;
import io.wharf.server.app.Storage;
import io.wharf.server.jobs.StandardJobs;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code wharf vulndb import PATH…} and {@code wharf vulndb status}: the vulnerability data of a data directory
 * (OSV, Debian tracker, Alpine secdb; see docs/scanning-data.md). Opens the storage as {@code wharf jobs run}
 * does ({@link Storage.Access#TOOL}): beside a running server, SQLite's single writer makes an import wait for the
 * server's writes (and the reverse) rather than fail; the server's next scan sees the new generation.
 */
@Command(name = "vulndb", mixinStandardHelpOptions = true, sortOptions = false,
        versionProvider = WharfCommand.VersionProvider.class,
        description = {"Imports vulnerability data and shows what is imported.",
                "Exit status: 0 done, 1 a file could not be imported (nothing of it was written) or the database failed, 2 bad usage."})
final class VulnDbCommand {

    @Option(names = "--data", paramLabel = "DIR", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "Data directory (default ./data, or data: in the config file / WHARF_DATA).")
    private String data;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "YAML config file (or env WHARF_CONFIG).")
    private Path config;

    private final PrintWriter out;
    private final DataDirCommand dataDir;
    private final Clock clock;

    VulnDbCommand(Map<String, String> env, PrintWriter out, PrintWriter err) {
        this.out = out;
        this.dataDir = new DataDirCommand("wharf vulndb", env, err);
        this.clock = Clock.systemUTC();
    }

    @Command(name = "import", description = {"Imports each PATH in its own transaction per file: an OSV record (.json),",
            "a JSON array of records, an OSV all.zip, a mirror directory (ecosystems.txt + <ECOSYSTEM>/all.zip) or any",
            "directory of .json/.zip files, the Debian security tracker's JSON, an Alpine secdb JSON.",
            "A file that fails to parse changes nothing; the others are still imported."})
    int importPaths(@Parameters(arity = "1..*", paramLabel = "PATH") List<Path> paths) {
        return Quiet.run(() -> dataDir.withConfig(data, config, cfg -> {
            try (Storage storage = Storage.open(cfg, Storage.Access.TOOL)) {
                AdvisoryIndex index = storage.metadata().advisories();
                OsvImport.Limits limits = StandardJobs.importLimits(cfg.vulndb());
                boolean failed = false;
                for (Path path : paths) {
                    failed |= importOne(index, path, limits);
                }
                printState(index.advisoryState());
                return failed ? WharfCommand.EXIT_FAILURE : 0;
            }
        }));
    }

    private boolean importOne(AdvisoryIndex index, Path path, OsvImport.Limits limits) {
        List<FileResult> results;
        try {
            results = OsvImport.importPath(index, path, clock, limits);
        } catch (IOException e) {
            dataDir.fail(WharfCommand.EXIT_FAILURE, path + ": " + (e.getMessage() == null ? e : e.getMessage())
                    + (e instanceof java.nio.file.NoSuchFileException ? " (no such file)" : ""));
            return true;
        }
        boolean failed = false;
        for (FileResult r : results) {
            if (r.failed()) {
                dataDir.fail(WharfCommand.EXIT_FAILURE, "not imported: " + r.error());
                failed = true;
            } else {
                ImportResult i = r.result();
                out.printf("%s: %d written, %d unchanged, %d withdrawn%s%n", r.file(), i.written(), i.unchanged(),
                        i.withdrawn(), r.skipped() == 0 ? "" : ", " + r.skipped() + " skipped (not usable)");
            }
        }
        out.flush();
        return failed;
    }

    @Command(name = "status", description = "Prints the advisory count, the data generation, the newest modified time and the last import.")
    int status() {
        return Quiet.run(() -> dataDir.withConfig(data, config, cfg -> {
            try (Storage storage = Storage.open(cfg, Storage.Access.READ_ONLY)) {
                printState(storage.metadata().advisories().advisoryState());
                return 0;
            }
        }));
    }

    private void printState(AdvisoryState s) {
        out.printf("advisories:      %d%n", s.count());
        out.printf("generation:      %d%n", s.generation());
        out.printf("newest modified: %s%n", s.newestModified() == null ? "-" : s.newestModified());
        out.printf("imported at:     %s%n", s.importedAt() == null ? "-" : s.importedAt());
        out.flush();
    }
}
