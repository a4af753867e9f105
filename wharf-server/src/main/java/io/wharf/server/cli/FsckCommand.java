package io.wharf.server.cli;

import io.wharf.core.model.Digest;
import io.wharf.core.service.Damage;
import io.wharf.core.spi.StoredBlob;
import io.wharf.server.config.ConfigException;
import io.wharf.server.config.ConfigKey;
import io.wharf.server.config.ConfigLoader;
import io.wharf.server.config.WharfConfig;
import io.wharf.storage.fs.FileSystemBlobStore;
import io.wharf.storage.jdbc.JdbcMetadataStore;
import io.wharf.storage.jdbc.SqliteMetadataStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code wharf fsck}: verifies a data directory (see {@link Fsck}) and prints a report. Opens the database
 * read-only and takes no lock, so it runs beside a serving {@code wharf serve}; {@code --repair} only moves
 * damaged blob files aside, which the server handles at any time. Exit status: 0 nothing damaged,
 * 1 damage found, 2 bad usage or configuration, 3 the check could not run.
 */
@Command(name = "fsck", mixinStandardHelpOptions = true, sortOptions = false,
        versionProvider = WharfCommand.VersionProvider.class,
        description = {"Verifies every blob (present, size, SHA-256) and every manifest (its bytes hash to its digest,",
                "what it references is present) of a data directory, and reports files no metadata records.",
                "Read-only unless --repair; safe to run while the server runs.",
                "Exit status: 0 nothing damaged, 1 damage found, 2 bad usage, 3 the check could not run."})
final class FsckCommand implements Callable<Integer> {
    static final int EXIT_DAMAGED = 1;
    static final int EXIT_CANNOT_CHECK = 3;
    private static final int LISTED_STRAYS = 20;

    @Option(names = "--data", paramLabel = "DIR", description = "Data directory (default ./data, or data: in the config file / WHARF_DATA).")
    private String data;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "YAML config file (or env WHARF_CONFIG).")
    private Path config;

    @Option(names = "--account", paramLabel = "ID", description = "12-digit account whose manifests to check (default: the configured account).")
    private String account;

    @Option(names = "--repair", description = {"Set damaged blobs aside (into <data>/quarantine/), as the server's scrub does:",
            "they read as unknown, and the next push of each stores it again."})
    private boolean repair;

    @Option(names = "--rate", paramLabel = "SIZE", description = "Read blobs at most this many bytes per second (e.g. 64MiB; default: unlimited).")
    private String rate;

    private final Map<String, String> env;
    private final PrintWriter out;
    private final PrintWriter err;

    FsckCommand(Map<String, String> env, PrintWriter out, PrintWriter err) {
        this.env = env;
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() {
        WharfConfig cfg;
        long bytesPerSecond;
        try {
            Map<String, String> flags = new HashMap<>();
            flags.put(ConfigKey.DATA.path(), data);
            cfg = ConfigLoader.load(ConfigLoader.configFile(config, env), env, flags).config();
            bytesPerSecond = rate == null ? 0 : ConfigLoader.parseSize(rate);
        } catch (ConfigException | IllegalArgumentException e) {
            return fail(WharfCommand.EXIT_USAGE, e.getMessage());
        }
        if (cfg.storage().shared()) {
            return fail(EXIT_CANNOT_CHECK, "fsck checks a single-node data directory (SQLite and blob files); it does not "
                    + "check storage.metadata=" + cfg.storage().metadata().name().toLowerCase(java.util.Locale.ROOT)
                    + " yet: the integrity scrub job re-hashes a cluster's blobs");
        }
        if (!Files.isRegularFile(cfg.data().resolve(SqliteMetadataStore.FILE_NAME))) {
            return fail(EXIT_CANNOT_CHECK, "no Wharf data directory at " + cfg.data() + "; give --data");
        }
        return Quiet.run(() -> check(cfg, bytesPerSecond));
    }

    /** With encrypted repositories, blobs are checked in whichever encryption domain holds a copy (encryption.md). */
    private static io.wharf.core.spi.BlobStore everyCopy(WharfConfig cfg, FileSystemBlobStore store) throws IOException {
        if (!Files.isDirectory(cfg.data().resolve("encrypted"))) {
            return store;
        }
        return new io.wharf.storage.fs.EncryptedStores(store, new io.wharf.storage.fs.FileSystemUploadStore(store),
                io.wharf.server.app.Storage.keys(cfg), false).anyDomain();
    }

    private int check(WharfConfig cfg, long bytesPerSecond) {
        try (JdbcMetadataStore meta = SqliteMetadataStore.openReadOnly(cfg.data())) {
            FileSystemBlobStore store = new FileSystemBlobStore(cfg.data());
            FsckProgress progress = progress(meta);
            Fsck.Result result = new Fsck(meta, store, everyCopy(cfg, store),
                    account != null ? account : cfg.account(), bytesPerSecond, repair).run(progress);
            progress.done();
            report(cfg.data(), result);
            return result.damaged().isEmpty() ? 0 : EXIT_DAMAGED;
        } catch (IOException | RuntimeException e) {
            return fail(EXIT_CANNOT_CHECK, Failures.describe(e, cfg));
        }
    }

    /** Totals first (metadata only), so progress can say how far along the pass is. */
    private FsckProgress progress(JdbcMetadataStore meta) {
        long blobs = 0;
        long bytes = 0;
        Digest after = null;
        for (List<StoredBlob> page = meta.listBlobs(null, 1000); !page.isEmpty(); page = meta.listBlobs(after, 1000)) {
            blobs += page.size();
            bytes += page.stream().mapToLong(StoredBlob::size).sum();
            after = page.getLast().digest();
        }
        return new FsckProgress(err, FsckProgress.onTerminal(), blobs, bytes);
    }

    private void report(Path dataDir, Fsck.Result r) {
        out.println("data directory: " + dataDir);
        out.println("blobs:      " + r.blobs().blobs() + " checked (" + Sizes.human(r.blobs().bytes()) + ") in "
                + r.blobs().took().toMillis() + " ms, " + r.blobs().damaged().size() + " damaged or missing");
        out.println("manifests:  " + r.manifests() + " checked, " + (r.damaged().size() - r.blobs().damaged().size())
                + " damaged or incomplete");
        out.println("files:      " + r.orphans() + " blob files no metadata records (garbage, not damage), "
                + r.strays().size() + " stray files in blobs/, " + r.quarantined() + " files in quarantine/");
        r.strays().stream().limit(LISTED_STRAYS).forEach(p -> out.println("  stray: " + p));
        for (Damage d : r.damaged()) {
            out.println("DAMAGED " + d);
        }
        if (r.damaged().isEmpty()) {
            out.println("result: no damage found");
        } else {
            out.println("result: " + r.damaged().size() + " damaged " + (repair ? "(damaged blobs set aside; push them again)"
                    : "(run with --repair to set damaged blobs aside so the next push of each repairs it)"));
        }
        out.flush();
    }

    private int fail(int status, String message) {
        err.println("wharf fsck: " + message);
        return status;
    }

}
