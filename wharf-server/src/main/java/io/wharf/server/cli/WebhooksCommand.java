package io.wharf.server.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.core.spi.MetadataStore;
import io.wharf.core.spi.WebhookIndex.Delivery;
import io.wharf.core.spi.WebhookIndex.State;
import io.wharf.core.spi.WebhookIndex.Subscription;
import io.wharf.core.webhook.InvalidWebhookException;
import io.wharf.core.webhook.WebhookJob;
import io.wharf.core.webhook.WebhookService;
import io.wharf.server.app.Storage;
import io.wharf.server.config.WharfConfig;
import io.wharf.server.webhook.WebhookWiring;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code wharf webhooks}: the account's webhook subscriptions, managed in the data directory's database as
 * {@code /wharf/v1/webhooks} does (beside a running server too: a replay records a run request of the
 * {@code webhooks} job, which the server starts at its next poll). Exit status: 0 done, 1 no such webhook or
 * failed, 2 bad usage or input.
 */
@Command(name = "webhooks", mixinStandardHelpOptions = true, sortOptions = false,
        versionProvider = WharfCommand.VersionProvider.class,
        description = {"Manages webhook subscriptions: create, list, show (with the delivery log), delete, replay."})
final class WebhooksCommand {
    private static final String ROW = "%-24s %-8s %-16s %-24s %s%n";

    @Mixin
    private AccountStoreOptions store;

    @FunctionalInterface
    private interface Action {
        void run(WebhookService service, String account);
    }

    private final PrintWriter out;
    private final DataDirCommand dataDir;
    private final java.io.InputStream stdin;

    WebhooksCommand(Map<String, String> env, PrintWriter out, PrintWriter err, java.io.InputStream stdin) {
        this.out = out;
        this.dataDir = new DataDirCommand("wharf webhooks", env, err);
        this.stdin = stdin;
    }

    @Command(name = "create", description = {"Creates a subscription to URL; prints its id and its secret (shown only now)."})
    int create(@Parameters(paramLabel = "URL") String url,
               @Option(names = "--repository", paramLabel = "NAME", description = "A repository, or a prefix such as team/* (default: all).") String repository,
               @Option(names = "--event-type", paramLabel = "TYPE", description = "A detail-type or event name, e.g. ImagePushed (repeatable; default: all).") List<String> types,
               @Option(names = "--secret-stdin", description = "Read the HMAC secret from stdin instead of generating one.") boolean secretStdin,
               @Option(names = "--disabled", description = "Create it disabled.") boolean disabled) {
        String secret = null;
        if (secretStdin) {
            try {
                secret = new String(stdin.readNBytes(WebhookService.MAX_SECRET_LENGTH + 1), java.nio.charset.StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                return dataDir.fail(WharfCommand.EXIT_USAGE, "cannot read the secret from stdin: " + e.getMessage());
            }
        }
        String given = secret;
        return run((service, acct) -> {
            Subscription s = service.create(acct, new WebhookService.Spec(url, repository, types, !disabled), given);
            out.println(s.id() + "\t" + s.secret());
        });
    }

    @Command(name = "list", description = "Lists the subscriptions: id, enabled, last status, last attempt, url.")
    int list() {
        return run((service, acct) -> {
            out.printf(ROW, "ID", "ENABLED", "LAST-STATUS", "LAST-ATTEMPT", "URL");
            for (Subscription s : service.index().subscriptions(acct)) {
                out.printf(ROW, s.id(), s.enabled(), s.last() == null ? "-" : Integer.toString(s.last().status()),
                        s.last() == null ? "-" : s.last().at().toString(), s.url());
            }
        });
    }

    @Command(name = "show", description = "Shows a subscription as JSON, with its delivery counts and latest deliveries.")
    int show(@Parameters(paramLabel = "ID") String id,
             @Option(names = "--state", paramLabel = "STATE", description = "Only PENDING, DELIVERED or DEAD deliveries.") State state,
             @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "Latest N deliveries (default 20).") int limit) {
        return run((service, acct) -> {
            Subscription s = find(service, acct, id);
            ObjectNode shape = io.wharf.server.api.WebhookShapes.subscription(s);
            ObjectNode counts = shape.putObject("deliveryCounts");
            Map<State, Long> c = service.index().counts(id);
            for (State st : State.values()) {
                counts.put(st.name(), c.getOrDefault(st, 0L));
            }
            var list = shape.putArray("deliveries");
            for (Delivery d : service.index().deliveries(id, state, Math.max(1, Math.min(limit, 1000)))) {
                list.add(io.wharf.server.api.WebhookShapes.delivery(d));
            }
            out.println(shape.toPrettyString());
        });
    }

    @Command(name = "delete", description = "Deletes a subscription and its delivery log.")
    int delete(@Parameters(paramLabel = "ID") String id) {
        return run((service, acct) -> service.index().deleteSubscription(find(service, acct, id).id()));
    }

    @Command(name = "replay", description = "Queues the dead deliveries of a subscription again (or only --delivery); prints how many.")
    int replay(@Parameters(paramLabel = "ID") String id,
               @Option(names = "--delivery", paramLabel = "N", description = "Only this delivery (any state).") Long delivery) {
        return run((service, acct) -> out.println(service.replay(find(service, acct, id), delivery)));
    }

    private static Subscription find(WebhookService service, String acct, String id) {
        return service.find(acct, id).orElseThrow(() -> new NoSuchWebhook(id));
    }

    private static final class NoSuchWebhook extends RuntimeException {
        NoSuchWebhook(String id) {
            super("no webhook " + id);
        }
    }

    private int run(Action action) {
        return Quiet.run(() -> dataDir.withConfig(store.data, store.config, cfg -> open(cfg, action)));
    }

    private int open(WharfConfig cfg, Action action) throws IOException {
        String acct = store.account(cfg);
        try (Storage storage = Storage.open(cfg, Storage.Access.TOOL)) {
            MetadataStore meta = storage.metadata();
            WebhookService service = new WebhookService(meta.webhooks(), WebhookWiring.DETAIL_TYPES, cfg.region(),
                    Clock.systemUTC(), () -> meta.requestJobRun(WebhookJob.NAME, Clock.systemUTC().instant()));
            action.run(service, acct);
            out.flush();
            return 0;
        } catch (InvalidWebhookException e) {
            return dataDir.fail(WharfCommand.EXIT_USAGE, e.getMessage());
        } catch (NoSuchWebhook e) {
            return dataDir.fail(WharfCommand.EXIT_FAILURE, e.getMessage());
        }
    }
}
