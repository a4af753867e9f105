package io.wharf.server.cli;

import io.wharf.server.app.Migration;
import io.wharf.server.config.ConfigException;
import io.wharf.server.config.ConfigLoader;
import io.wharf.server.config.WharfConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code wharf migrate}: moves a single-node data directory into the storage a cluster configuration names (see
 * {@link Migration}). Exit status: 0 done, 1 refused or failed (nothing of the metadata written), 2 bad usage.
 */
@Command(name = "migrate", mixinStandardHelpOptions = true, sortOptions = false,
        versionProvider = WharfCommand.VersionProvider.class,
        description = {"Copies a single-node data directory (SQLite metadata, blob files) into a cluster's storage:",
                "the PostgreSQL database and blob store of the target configuration, every blob verified by digest.",
                "Stop the server of the data directory first; the target database must be empty."})
final class MigrateCommand implements Callable<Integer> {

    @Option(names = "--from-data", required = true, paramLabel = "DIR", description = "The data directory to copy.")
    private Path from;

    @Option(names = "--to-config", required = true, paramLabel = "FILE",
            description = "YAML config file of the cluster's nodes (storage.*, auth.sealing-key; WHARF_* variables apply).")
    private Path to;

    private final Map<String, String> env;
    private final PrintWriter out;
    private final PrintWriter err;

    MigrateCommand(Map<String, String> env, PrintWriter out, PrintWriter err) {
        this.env = env;
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() {
        WharfConfig target;
        try {
            target = ConfigLoader.load(to, env, Map.of()).config();
        } catch (ConfigException e) {
            return fail(WharfCommand.EXIT_USAGE, e.getMessage());
        }
        return Quiet.run(() -> {
            try {
                Migration.Report r = new Migration(from, target, out).run();
                out.println("migrated " + from + ": " + r.blobsCopied() + " blobs copied (" + r.bytesCopied() + " bytes), "
                        + r.blobsAlreadyThere() + " already there, every one verified; metadata rows " + r.rows());
                out.flush();
                return 0;
            } catch (ConfigException e) {
                return fail(WharfCommand.EXIT_USAGE, e.getMessage());
            } catch (IOException | RuntimeException e) {
                return fail(WharfCommand.EXIT_FAILURE, Failures.describe(e, target.withData(from)));
            }
        });
    }

    private int fail(int status, String message) {
        err.println("wharf migrate: " + message);
        err.flush();
        return status;
    }
}
