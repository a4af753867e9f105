package io.wharf.server.cli;

import ch.qos.logback.classic.Level;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs an admin command with INFO logging (pool and schema start-up lines) muted, so its output stays its own. */
final class Quiet {
    private Quiet() {
    }

    static int run(IntSupplier command) {
        Logger root = LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        if (!(root instanceof ch.qos.logback.classic.Logger logback)) {
            return command.getAsInt();
        }
        Level level = logback.getLevel();
        logback.setLevel(Level.WARN);
        try {
            return command.getAsInt();
        } finally {
            logback.setLevel(level); // embedded (tests, one JVM): leave logging as it was
        }
    }
}
