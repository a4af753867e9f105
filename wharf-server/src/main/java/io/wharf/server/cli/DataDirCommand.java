package io.wharf.server.cli;

import io.wharf.server.config.ConfigException;
import io.wharf.server.config.ConfigKey;
import io.wharf.server.config.ConfigLoader;
import io.wharf.server.config.WharfConfig;
import io.wharf.server.app.Storage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * What the commands over existing storage share: loading the configuration, and failing in one voice. The
 * storage is the data directory's SQLite database, or the PostgreSQL database the configuration names.
 */
final class DataDirCommand {

    @FunctionalInterface
    interface Action {
        int run(WharfConfig cfg) throws IOException, InterruptedException;
    }

    private final String name;
    private final Map<String, String> env;
    private final PrintWriter err;

    /** @param name the command as users type it ({@code wharf jobs}), the prefix of its error messages */
    DataDirCommand(String name, Map<String, String> env, PrintWriter err) {
        this.name = name;
        this.env = env;
        this.err = err;
    }

    /** Loads the configuration, checks the data directory, runs {@code action}, maps failures to exit codes. */
    int withConfig(String data, Path config, Action action) {
        WharfConfig cfg;
        try {
            Map<String, String> flags = new HashMap<>();
            flags.put(ConfigKey.DATA.path(), data);
            cfg = ConfigLoader.load(ConfigLoader.configFile(config, env), env, flags).config();
        } catch (ConfigException e) {
            return fail(WharfCommand.EXIT_USAGE, e.getMessage());
        }
        if (!Storage.exists(cfg)) {
            return fail(WharfCommand.EXIT_FAILURE, "no Wharf data directory at " + cfg.data() + "; give --data");
        }
        try {
            return action.run(cfg);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail(WharfCommand.EXIT_FAILURE, "interrupted");
        } catch (IOException | RuntimeException e) {
            return fail(WharfCommand.EXIT_FAILURE, Failures.describe(e, cfg));
        }
    }

    int fail(int status, String message) {
        err.println(name + ": " + message);
        err.flush();
        return status;
    }
}
