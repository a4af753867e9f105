package io.wharf.server.cli;

import io.wharf.server.app.Application;
import io.wharf.server.app.Backend;
import io.wharf.server.app.PemKeyStore;
import io.wharf.server.app.Wiring;
import io.wharf.server.config.ConfigException;
import io.wharf.server.config.ConfigKey;
import io.wharf.server.config.ConfigLoader;
import io.wharf.server.config.WharfConfig;
import java.io.PrintWriter;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code wharf serve}: runs the registry until SIGTERM or SIGINT, then stops gracefully. */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        versionProvider = WharfCommand.VersionProvider.class,
        description = {"Runs the registry until SIGTERM or SIGINT.",
                "Settings come from, lowest precedence first: defaults, the YAML config file, "
                        + "WHARF_* environment variables, these options."})
final class ServeCommand implements Callable<Integer> {
    /** System property logback.xml reads to pick the text or json appender. */
    static final String LOG_FORMAT_PROPERTY = "wharf.log.format";

    @Option(names = "--listen", paramLabel = "HOST:PORT",
            description = "Address to listen on; :PORT for all interfaces (default 127.0.0.1:5000).")
    private String listen;

    @Option(names = "--data", paramLabel = "DIR", description = "Data directory, created if missing (default ./data).")
    private String data;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "YAML config file (or env WHARF_CONFIG).")
    private Path config;

    private final Map<String, String> env;
    private final PrintWriter err;

    ServeCommand(Map<String, String> env, PrintWriter err) {
        this.env = env;
        this.err = err;
    }

    @Override
    public Integer call() throws InterruptedException {
        ConfigLoader.Result loaded;
        try {
            loaded = ConfigLoader.load(ConfigLoader.configFile(config, env), env, flags());
        } catch (ConfigException e) {
            err.println("wharf: " + e.getMessage());
            return WharfCommand.EXIT_USAGE;
        }
        WharfConfig cfg = loaded.config();
        // before the first logger exists, so logback.xml picks the appender
        System.setProperty(LOG_FORMAT_PROPERTY, cfg.logFormat().name().toLowerCase(Locale.ROOT));
        Logger log = LoggerFactory.getLogger(ServeCommand.class);
        loaded.warnings().forEach(log::warn);
        Application app;
        try {
            // unusable TLS files are a configuration error: report it before touching the data directory
            cfg.tls().ifPresent(tls -> PemKeyStore.load(tls.certFile(), tls.keyFile()));
            Backend backend = Wiring.open(cfg, env, err);
            app = Application.start(cfg, backend, registry -> Wiring.api(registry, cfg, backend.auth()));
        } catch (ConfigException e) {
            log.error("cannot start: {}", e.getMessage());
            return WharfCommand.EXIT_USAGE;
        } catch (Exception e) {
            if (Failures.isExpected(e)) {
                log.error("cannot start: {}", Failures.describe(e, cfg));
            } else {
                log.error("cannot start: {}", Failures.describe(e, cfg), e);
            }
            return WharfCommand.EXIT_FAILURE;
        }
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("wharf-shutdown").unstarted(app::stop));
        app.awaitStopped();
        return 0;
    }

    /**
     * {@code serve} with nothing but {@code --listen}, {@code --data} and {@code -c/--config}, each at
     * most once with a plain value, parsed without picocli: picocli's Java 5 classes cannot be
     * AOT-linked, and building its model took ~190 ms of a ~750 ms start (measured). Returns null for
     * anything else (help, version, errors), which picocli then handles.
     */
    static ServeCommand plain(Map<String, String> env, PrintWriter err, String... args) {
        if (args.length == 0 || !args[0].equals("serve")) {
            return null;
        }
        Map<String, String> values = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            int eq = arg.startsWith("--") ? arg.indexOf('=') : -1; // --name=value
            String name = eq > 0 ? arg.substring(0, eq) : arg;
            String value = eq > 0 ? arg.substring(eq + 1) : i + 1 < args.length ? args[++i] : null;
            String key = switch (name) {
                case "--listen" -> "listen";
                case "--data" -> "data";
                case "-c", "--config" -> "config";
                default -> null;
            };
            if (key == null || value == null || value.isEmpty() || value.startsWith("-")
                    || values.putIfAbsent(key, value) != null) {
                return null;
            }
        }
        ServeCommand serve = new ServeCommand(env, err);
        serve.listen = values.get("listen");
        serve.data = values.get("data");
        try {
            serve.config = values.containsKey("config") ? Path.of(values.get("config")) : null;
        } catch (InvalidPathException e) {
            return null;
        }
        return serve;
    }

    /** Runs a {@link #plain} command line; an interrupted wait ends as it would under picocli. */
    int runPlain() {
        try {
            return call();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return WharfCommand.EXIT_FAILURE;
        }
    }

    /** What the command line set, for tests: listen, data, config (null when absent). */
    String[] options() {
        return new String[] {listen, data, config == null ? null : config.toString()};
    }

    private Map<String, String> flags() {
        Map<String, String> flags = new HashMap<>();
        flags.put(ConfigKey.LISTEN.path(), listen);
        flags.put(ConfigKey.DATA.path(), data);
        return flags;
    }

    /** The help footer: every key, its environment variable and default, generated from {@link ConfigKey}. */
    static String configurationHelp() {
        StringBuilder sb = new StringBuilder("\nConfiguration keys (YAML, kebab-case; nested keys as section.key):\n");
        for (ConfigKey k : ConfigKey.values()) {
            sb.append(String.format("  %-27s %-33s %s\n", k.path(), k.env(), k.defaultValue().orElse("(unset)")));
        }
        sb.append("\nDurations: ISO-8601 (PT30S) or 500ms, 30s, 5m, 1h, 2d. Sizes: bytes or KiB, MiB, GiB, TiB.\n");
        return sb.toString().replace("%", "%%"); // picocli formats the footer
    }
}
