package io.wharf.server.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;

/** One {@code wharf} command line run in this JVM, with what it printed. */
record CliRun(int status, String out, String err) {

    /** {@code wharf COMMAND ARGS… --data DATA}. */
    static CliRun run(Map<String, String> env, Path data, String command, String... args) {
        String[] all = new String[args.length + 3];
        all[0] = command;
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--data";
        all[args.length + 2] = data.toString();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = WharfCommand.execute(env, new PrintWriter(out), new PrintWriter(err), all);
        return new CliRun(status, out.toString(), err.toString());
    }
}
