package io.wharf.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;

/** Runs {@code wharf iam --data DATA ARGS…} in-process for tests; fails the test unless it exits 0. */
public final class IamCli {

    private IamCli() {
    }

    /** The command's standard output, stripped. */
    public static String run(Path data, String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "iam";
        all[1] = "--data";
        all[2] = data.toString();
        System.arraycopy(args, 0, all, 3, args.length);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = WharfCommand.execute(Map.of(), new PrintWriter(out), new PrintWriter(err), all);
        assertThat(status).as(err.toString()).isZero();
        return out.toString().strip();
    }
}
