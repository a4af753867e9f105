package io.wharf.server.cli;

import io.wharf.server.app.Version;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code wharf}: the command line's root; the work happens in subcommands such as {@code serve}. */
@Command(name = "wharf", mixinStandardHelpOptions = true, versionProvider = WharfCommand.VersionProvider.class,
        description = "A container image registry speaking the OCI Distribution API and the Amazon ECR API.",
        subcommands = HelpCommand.class)
public final class WharfCommand implements Runnable {
    /** Exit status for bad usage or configuration (picocli uses it for usage errors too). */
    public static final int EXIT_USAGE = CommandLine.ExitCode.USAGE;
    /** Exit status when the process could not start or failed while running. */
    public static final int EXIT_FAILURE = CommandLine.ExitCode.SOFTWARE;

    @Spec
    private CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(System.getenv(), new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs one command line against an explicit environment; returns the exit status. */
    public static int execute(Map<String, String> env, PrintWriter out, PrintWriter err, String... args) {
        return execute(env, System.in, out, err, args);
    }

    /** As {@link #execute(Map, PrintWriter, PrintWriter, String...)} with {@code in} as standard input. */
    public static int execute(Map<String, String> env, java.io.InputStream in, PrintWriter out, PrintWriter err,
                              String... args) {
        ServeCommand serve = ServeCommand.plain(env, err, args);
        if (serve != null) {
            return serve.runPlain();
        }
        CommandLine cli = new CommandLine(new WharfCommand());
        cli.addSubcommand("serve", new ServeCommand(env, err));
        cli.getSubcommands().get("serve").getCommandSpec().usageMessage().footer(ServeCommand.configurationHelp());
        cli.addSubcommand("iam", new IamCommand(env, out, err));
        cli.addSubcommand("fsck", new FsckCommand(env, out, err));
        cli.addSubcommand("jobs", new JobsCommand(env, out, err));
        cli.addSubcommand("gc", new GcCommand(env, out, err));
        cli.addSubcommand("usage", new UsageCommand(env, out, err));
        cli.addSubcommand("migrate", new MigrateCommand(env, out, err));
        cli.addSubcommand("vulndb", new VulnDbCommand(env, out, err));
        cli.addSubcommand("secrets", new SecretsCommand(env, out, err, in));
        cli.addSubcommand("audit", new AuditCommand(env, out, err));
        cli.addSubcommand("webhooks", new WebhooksCommand(env, out, err, in));
        cli.addSubcommand("public", new PublicCommand(env, out, err));
        cli.addSubcommand("kms", new KmsCommand(env, out, err));
        cli.addSubcommand("signing", new SigningCommand(env, out, err));
        cli.setOut(out);
        cli.setErr(err);
        return cli.execute(args);
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing command; to run the registry: wharf serve");
    }

    /** {@code wharf --version}: the Maven version stamped into the jar, and the JVM it runs on. */
    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"wharf " + Version.get(),
                    "JVM " + Runtime.version() + " (" + System.getProperty("java.vm.vendor", "?") + ")"};
        }
    }
}
