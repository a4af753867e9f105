package io.wharf.server.cli;

import io.wharf.core.spi.SecretIndex.StoredSecret;
import io.wharf.server.app.Storage;
import io.wharf.server.auth.StoredUpstreamSecrets;
import io.wharf.server.config.WharfConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code wharf secrets}: the account's named secrets (pull-through cache credentials, referenced by rules as
 * {@code arn:aws:secretsmanager:<region>:<account>:secret:<name>}), stored sealed in the data directory's database.
 * Values go in on stdin and never come out. Exit status: 0 done, 1 refused or failed, 2 bad usage or input.
 */
@Command(name = "secrets", mixinStandardHelpOptions = true, sortOptions = false,
        versionProvider = WharfCommand.VersionProvider.class,
        description = {"Manages the account's sealed secrets (pull-through cache credentials).",
                "Values are read from stdin and are never printed."})
final class SecretsCommand {
    private static final int PAGE = 500;

    @Mixin
    private AccountStoreOptions store;

    @FunctionalInterface
    private interface Action {
        void run(StoredUpstreamSecrets secrets, String account);
    }

    private final PrintWriter out;
    private final DataDirCommand dataDir;
    private final InputStream stdin;

    SecretsCommand(Map<String, String> env, PrintWriter out, PrintWriter err, InputStream stdin) {
        this.out = out;
        this.dataDir = new DataDirCommand("wharf secrets", env, err);
        this.stdin = stdin;
    }

    @Command(name = "put", description = {"Creates or replaces secret NAME from stdin: JSON {\"username\": …, \"accessToken\": …}.",
            "Prints 'created' or 'updated'."})
    int put(@Parameters(paramLabel = "NAME") String name,
            @Option(names = "--description", paramLabel = "TEXT", description = "A note kept with the secret.") String description) {
        String json;
        try {
            byte[] bytes = stdin.readNBytes(StoredUpstreamSecrets.MAX_VALUE_BYTES + 1);
            json = new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return dataDir.fail(WharfCommand.EXIT_USAGE, "cannot read the secret from stdin: " + e.getMessage());
        }
        return run((secrets, acct) -> out.println(secrets.put(acct, name, description, json) ? "created" : "updated"));
    }

    @Command(name = "list", description = "Lists the secrets: name, creation time, last change, description.")
    int list() {
        return run((secrets, acct) -> {
            String after = null;
            List<StoredSecret> page;
            do {
                page = secrets.list(acct, after, PAGE);
                for (StoredSecret s : page) {
                    out.println(s.name() + "\t" + s.createdAt() + "\t" + s.updatedAt()
                            + (s.description() == null ? "" : "\t" + s.description()));
                    after = s.name();
                }
            } while (page.size() == PAGE);
        });
    }

    @Command(name = "delete", description = "Deletes secret NAME.")
    int delete(@Parameters(paramLabel = "NAME") String name) {
        return run((secrets, acct) -> {
            if (!secrets.delete(acct, name)) {
                throw new NoSuchSecret(name);
            }
        });
    }

    private static final class NoSuchSecret extends RuntimeException {
        NoSuchSecret(String name) {
            super("no secret named " + name);
        }
    }

    private int run(Action action) {
        return Quiet.run(() -> dataDir.withConfig(store.data, store.config, cfg -> open(cfg, action)));
    }

    private int open(WharfConfig cfg, Action action) throws IOException {
        String acct = store.account(cfg);
        try (Storage storage = Storage.open(cfg, Storage.Access.TOOL)) {
            action.run(StoredUpstreamSecrets.open(cfg, storage.metadata(), Clock.systemUTC()), acct);
            out.flush();
            return 0;
        } catch (IllegalArgumentException e) {
            return dataDir.fail(WharfCommand.EXIT_USAGE, e.getMessage());
        } catch (NoSuchSecret e) {
            return dataDir.fail(WharfCommand.EXIT_FAILURE, e.getMessage());
        }
    }
}
