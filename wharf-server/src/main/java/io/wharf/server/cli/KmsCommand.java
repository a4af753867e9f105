package io.wharf.server.cli;

import io.wharf.server.app.Storage;
import io.wharf.server.config.WharfConfig;
import io.wharf.storage.crypto.EncryptionKeys;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code wharf kms}: the named keys of Wharf's key store, which encrypt the blobs of repositories created with
 * {@code encryptionType KMS} (docs/encryption.md). Works beside a running server (which picks a rotation up at its
 * next use of the key). Exit status: 0 done, 1 failed, 2 bad usage (a bad or duplicate name, an unknown key).
 */
@Command(name = "kms", mixinStandardHelpOptions = true, sortOptions = false,
        versionProvider = WharfCommand.VersionProvider.class,
        description = {"Manages the keys that encrypt KMS repositories: create-key, list, rotate-key.",
                "Losing <data>/keys/ (or the configured encryption.master-key) loses every encrypted blob."})
final class KmsCommand {
    @Mixin
    private AccountStoreOptions store;

    @FunctionalInterface
    private interface Action {
        void run(EncryptionKeys keys, WharfConfig cfg) throws IOException;
    }

    private final PrintWriter out;
    private final DataDirCommand dataDir;

    KmsCommand(Map<String, String> env, PrintWriter out, PrintWriter err) {
        this.out = out;
        this.dataDir = new DataDirCommand("wharf kms", env, err);
    }

    @Command(name = "create-key", description = "Creates a key; prints the ARN a repository's kmsKey may name it by.")
    int create(@Parameters(paramLabel = "NAME", description = "1 to 64 letters, digits, '-' or '_'.") String name) {
        return run((keys, cfg) -> {
            keys.createKey(name);
            out.println(arn(cfg, name));
        });
    }

    @Command(name = "list", description = "Lists the keys: name, versions, ARN.")
    int list() {
        return run((keys, cfg) -> {
            out.printf("%-32s %-9s %s%n", "NAME", "VERSIONS", "ARN");
            for (EncryptionKeys.KeyInfo k : keys.list()) {
                out.printf("%-32s %-9d %s%n", k.name(), k.versions(), arn(cfg, k.name()));
            }
        });
    }

    @Command(name = "rotate-key", description = "Adds a new primary version; data written before stays readable.")
    int rotate(@Parameters(paramLabel = "NAME") String name) {
        return run((keys, cfg) -> {
            keys.rotate(name);
            out.println(name + " rotated");
        });
    }

    private String arn(WharfConfig cfg, String name) {
        return "arn:aws:kms:" + cfg.region() + ":" + store.account(cfg) + ":key/" + name;
    }

    private int run(Action action) {
        return Quiet.run(() -> dataDir.withConfig(store.data, store.config, cfg -> {
            try {
                action.run(Storage.keys(cfg), cfg);
                out.flush();
                return 0;
            } catch (IllegalArgumentException e) {
                return dataDir.fail(WharfCommand.EXIT_USAGE, e.getMessage());
            }
        }));
    }
}
