package io.wharf.server.cli;

import io.wharf.server.config.WharfConfig;
import java.io.IOException;
import java.net.BindException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/** Turns start-up exceptions into one sentence an operator can act on. */
final class Failures {
    private Failures() {
    }

    static String describe(Throwable e, WharfConfig config) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            switch (t) {
                case BindException b -> {
                    return "cannot listen on " + config.listen() + ": " + b.getMessage();
                }
                case AccessDeniedException a -> {
                    return "permission denied: " + a.getFile() + " (data directory " + config.data() + ")";
                }
                case NoSuchFileException n -> {
                    return "no such file or directory: " + n.getFile() + " (data directory " + config.data() + ")";
                }
                case FileSystemException f -> {
                    return f.getMessage() + " (data directory " + config.data() + ")";
                }
                default -> {
                }
            }
        }
        return String.valueOf(e.getMessage() == null ? e : e.getMessage());
    }

    /** Whether the sentence says it all; anything else is unexpected and deserves its stack trace. */
    static boolean isExpected(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException) {
                return true;
            }
        }
        return false;
    }
}
