package io.wharf.server.cli;

import io.wharf.core.error.NameInvalidException;
import io.wharf.core.error.NameUnknownException;
import io.wharf.core.error.ParameterInvalidException;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.service.GalleryService;
import io.wharf.core.service.RepoKey;
import io.wharf.core.service.Registry;
import io.wharf.server.app.Storage;
import io.wharf.server.config.WharfConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code wharf public}: which repositories anyone may pull without credentials, changed in the data directory's
 * database as {@code /wharf/v1/repositories/<name>/public} does (beside a running server too). Exit status: 0 done,
 * 1 no such repository or failed, 2 bad usage or input.
 */
@Command(name = "public", mixinStandardHelpOptions = true, sortOptions = false,
        versionProvider = WharfCommand.VersionProvider.class,
        description = {"Public repositories (anonymous pulls, the gallery): add, remove, list. See docs/public-repositories.md."})
final class PublicCommand {
    /** Entries a {@code list} asks the store for at once. */
    private static final int PAGE = 500;

    @Mixin
    private AccountStoreOptions store;

    @FunctionalInterface
    private interface Action {
        void run(GalleryService gallery, String account);
    }

    private final PrintWriter out;
    private final DataDirCommand dataDir;

    PublicCommand(Map<String, String> env, PrintWriter out, PrintWriter err) {
        this.out = out;
        this.dataDir = new DataDirCommand("wharf public", env, err);
    }

    @Command(name = "add", description = "Makes a repository public: anyone may pull it without credentials.")
    int add(@Parameters(paramLabel = "NAME") String name) {
        return run((gallery, account) -> gallery.setPublic(new RepoKey(account, RepositoryName.parse(name)), true));
    }

    @Command(name = "remove", description = "Makes a repository private again.")
    int remove(@Parameters(paramLabel = "NAME") String name) {
        return run((gallery, account) -> gallery.setPublic(new RepoKey(account, RepositoryName.parse(name)), false));
    }

    @Command(name = "list", description = "Lists the public repositories (name, description), or those matching --query.")
    int list(@Option(names = "--query", paramLabel = "WORDS", description = "Only those whose name or catalog data contain every word.") String query) {
        return run((gallery, account) -> {
            String token = null;
            do {
                GalleryService.Page page = gallery.search(account, query, token, PAGE, 0);
                page.entries().forEach(e -> out.println(e.repository().name() + "\t"
                        + Objects.toString(e.catalog().description(), "")));
                token = page.nextPageToken();
            } while (token != null);
        });
    }

    private int run(Action action) {
        return Quiet.run(() -> dataDir.withConfig(store.data, store.config, cfg -> open(cfg, action)));
    }

    private int open(WharfConfig cfg, Action action) throws IOException {
        try (Storage storage = Storage.open(cfg, Storage.Access.TOOL)) {
            Registry registry = new Registry(storage.metadata(), storage.blobs(), storage.uploads(),
                    cfg.toRegistryLimits(), Clock.systemUTC());
            action.run(registry.gallery(), store.account(cfg));
            out.flush();
            return 0;
        } catch (NameInvalidException | ParameterInvalidException e) {
            return dataDir.fail(WharfCommand.EXIT_USAGE, e.getMessage() + (e.detail() == null ? "" : ": " + e.detail()));
        } catch (NameUnknownException e) {
            return dataDir.fail(WharfCommand.EXIT_FAILURE, "no repository " + e.detail());
        }
    }
}
