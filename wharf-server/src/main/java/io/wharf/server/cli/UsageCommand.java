package io.wharf.server.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.core.error.NameInvalidException;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.spi.AccountUsage;
import io.wharf.core.spi.DailyPulls;
import io.wharf.core.spi.RegistryUsage;
import io.wharf.core.spi.UsageDrift;
import io.wharf.core.spi.RepositoryUsage;
import io.wharf.core.spi.UsageIndex;
import io.wharf.server.api.UsageJson;
import io.wharf.storage.jdbc.JdbcMetadataStore;
import io.wharf.server.app.Storage;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code wharf usage}: the storage the repositories of a data directory use, and the registry's total, as
 * {@code GET /wharf/v1/usage} answers. Like {@code wharf jobs list} it reads the database itself rather than asking
 * the server (no credentials to hold, and it answers with the server down too); unlike it, read-only and without the
 * pools or a migration, as {@code wharf fsck} opens it: it writes nothing, and runs beside a serving server.
 * Exit status: 0 printed, 1 no such repository or the database could not be read, 2 bad usage.
 */
@Command(name = "usage", mixinStandardHelpOptions = true, sortOptions = false,
        versionProvider = WharfCommand.VersionProvider.class,
        description = {"Prints the storage used by each repository (or by REPOSITORY) and by the whole registry:",
                "images, tags, manifest bytes, linked blobs and their bytes, and the bytes only that repository links",
                "(what deleting it frees once garbage collection has run), and pulls per day. Read-only; safe while",
                "the server runs. --recount checks the kept counters against the tables (a full scan); --repair",
                "also fixes them.",
                "Exit status: 0 printed, 1 no such repository or the database could not be read, 2 bad usage."})
final class UsageCommand implements Callable<Integer> {
    private static final int PAGE = 500;
    private static final String ROW = "%-40s %8s %8s %28s %8s %28s %28s%n";

    @Parameters(arity = "0..1", paramLabel = "REPOSITORY", description = "Only this repository (default: all, and the total).")
    private String repository;

    @Option(names = "--data", paramLabel = "DIR", description = "Data directory (default ./data, or data: in the config file / WHARF_DATA).")
    private String data;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "YAML config file (or env WHARF_CONFIG).")
    private Path config;

    @Option(names = "--account", paramLabel = "ID", description = "12-digit account whose repositories to show (default: the configured account).")
    private String account;

    @Option(names = "--days", paramLabel = "N", description = "Pulls per day over the last N UTC days (default 30).")
    private int days = 30;

    @Option(names = "--recount", description = "Recount every counter from the tables and print the differences (exit 1 when any).")
    private boolean recount;

    @Option(names = "--repair", description = "With --recount: set the counters that differ to the recount.")
    private boolean repair;

    @Option(names = "--json", description = "Print JSON, in the shapes of GET /wharf/v1/usage and /wharf/v1/repositories/{name}/usage.")
    private boolean json;

    private final PrintWriter out;
    private final DataDirCommand dataDir;

    UsageCommand(Map<String, String> env, PrintWriter out, PrintWriter err) {
        this.out = out;
        this.dataDir = new DataDirCommand("wharf usage", env, err);
    }

    @Override
    public Integer call() {
        return Quiet.run(() -> dataDir.withConfig(data, config, cfg -> {
            RepositoryName name;
            try {
                name = repository == null ? null : RepositoryName.parse(repository, cfg.limits().maxNameLength());
            } catch (NameInvalidException e) {
                return fail(WharfCommand.EXIT_USAGE, e.getMessage());
            }
            if (days < 1 || days > 366) {
                return fail(WharfCommand.EXIT_USAGE, "--days must be from 1 to 366");
            }
            if (repair && !recount) {
                return fail(WharfCommand.EXIT_USAGE, "--repair goes with --recount");
            }
            String owner = account != null ? account : cfg.account();
            try (Storage storage = Storage.open(cfg, repair ? Storage.Access.TOOL : Storage.Access.READ_ONLY)) {
                JdbcMetadataStore meta = storage.metadata();
                if (recount) {
                    return recount(meta);
                }
                return name == null ? all(meta, owner) : one(meta, owner, name);
            }
        }));
    }

    private int one(JdbcMetadataStore meta, String owner, RepositoryName name) {
        Optional<RepositoryUsage> usage = meta.findRepository(owner, name).flatMap(r -> meta.repositoryUsage(r.id()));
        if (usage.isEmpty()) {
            return fail(WharfCommand.EXIT_FAILURE, "no repository named " + name.value() + " in account " + owner);
        }
        List<DailyPulls> pulls = meta.pulls(usage.get().repositoryId(), since());
        if (json) {
            out.println(UsageJson.of(usage.get()).set("pulls", UsageJson.pulls(pulls)).toPrettyString());
        } else {
            header();
            row(usage.get());
            pulls(pulls);
        }
        out.flush();
        return 0;
    }

    private int all(UsageIndex meta, String owner) {
        List<RepositoryUsage> repositories = every(meta, owner);
        RegistryUsage total = meta.registryUsage();
        AccountUsage mine = meta.accountUsage(owner);
        List<DailyPulls> pulls = meta.accountPulls(owner, since());
        if (json) {
            ObjectNode root = UsageJson.object();
            root.set("registry", UsageJson.of(total));
            root.set("account", UsageJson.of(mine, pulls));
            ArrayNode list = root.putArray("repositories");
            repositories.forEach(u -> list.add(UsageJson.of(u)));
            out.println(root.toPrettyString());
        } else {
            header();
            repositories.forEach(this::row);
            account(mine);
            pulls(pulls);
            total(total);
        }
        out.flush();
        return 0;
    }

    /** Every repository of the account, page by page (each page is one snapshot, the whole list need not be). */
    private static List<RepositoryUsage> every(UsageIndex meta, String owner) {
        List<RepositoryUsage> all = new ArrayList<>();
        for (List<RepositoryUsage> page = meta.repositoryUsages(owner, null, PAGE); !page.isEmpty();
             page = meta.repositoryUsages(owner, page.getLast().name(), PAGE)) {
            all.addAll(page);
        }
        return all;
    }

    private int recount(UsageIndex meta) {
        List<UsageDrift> drifts = meta.recountUsage(repair);
        for (UsageDrift d : drifts) {
            out.printf("%s %s: kept %d, recount %d%s%n", d.subject(), d.counter(), d.kept(), d.actual(),
                    repair ? " (repaired)" : "");
        }
        out.println(drifts.isEmpty() ? "usage counters match the tables" : drifts.size() + " counters differed");
        out.flush();
        return drifts.isEmpty() || repair ? 0 : WharfCommand.EXIT_FAILURE;
    }

    private LocalDate since() {
        return LocalDate.now(ZoneOffset.UTC).minusDays(days - 1);
    }

    private void pulls(List<DailyPulls> pulls) {
        out.println();
        out.printf("pulls (last %d days, UTC): %s%n", days, pulls.isEmpty() ? "none" : "");
        pulls.forEach(d -> out.printf("  %s %12s pulls %28s%n", d.day(), Sizes.count(d.pulls()), Sizes.both(d.bytes())));
    }

    private void account(AccountUsage a) {
        out.println();
        out.printf("account %s: %s repositories, %s images, %s tags, %s logical, %s exclusive%n", a.account(),
                Sizes.count(a.repositories()), Sizes.count(a.images()), Sizes.count(a.tags()),
                Sizes.both(a.logicalBytes()), Sizes.both(a.exclusiveBytes()));
    }

    private void header() {
        out.printf(ROW, "REPOSITORY", "IMAGES", "TAGS", "MANIFEST BYTES", "BLOBS", "BLOB BYTES", "EXCLUSIVE BYTES");
    }

    private void row(RepositoryUsage u) {
        out.printf(ROW, u.name().value(), Sizes.count(u.images()), Sizes.count(u.tags()), Sizes.both(u.manifestBytes()),
                Sizes.count(u.blobs()), Sizes.both(u.blobBytes()), Sizes.both(u.exclusiveBytes()));
    }

    private void total(RegistryUsage t) {
        out.println();
        out.printf("registry:  %s repositories (every account), %s images%n", Sizes.count(t.repositories()),
                Sizes.count(t.images()));
        out.printf("manifests: %s%n", Sizes.both(t.manifestBytes()));
        out.printf("blobs:     %s, %s%n", Sizes.count(t.blobs()), Sizes.both(t.blobBytes()));
        out.printf("unlinked:  %s, %s (no repository links them: garbage collection reclaims them)%n",
                Sizes.count(t.unlinkedBlobs()), Sizes.both(t.unlinkedBytes()));
    }

    private int fail(int status, String message) {
        return dataDir.fail(status, message);
    }
}
