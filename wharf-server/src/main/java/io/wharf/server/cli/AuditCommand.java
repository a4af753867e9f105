package io.wharf.server.cli;

import io.wharf.core.audit.AuditJson;
import io.wharf.core.audit.AuditQuery;
import io.wharf.core.audit.AuditRecord;
import io.wharf.server.app.Storage;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code wharf audit}: the audit trail's records, newest first, filtered by time, principal, repository and event
 * name (docs/audit.md). Reads the database itself, read-only, as {@code wharf usage} does: safe beside a serving
 * server, and it answers with the server down. Exit status: 0 printed, 1 the database could not be read, 2 bad usage.
 */
@Command(name = "audit", mixinStandardHelpOptions = true, sortOptions = false,
        versionProvider = WharfCommand.VersionProvider.class,
        description = {"Prints audit records (every ECR call, every OCI write, every refused call, sampled pulls),",
                "newest first. Read-only; safe while the server runs.",
                "Exit status: 0 printed, 1 the database could not be read, 2 bad usage."})
final class AuditCommand implements Callable<Integer> {
    private static final Pattern AGO = Pattern.compile("([0-9]{1,9})(s|m|h|d)");
    private static final String ROW = "%-24s %-28s %-44s %-30s %-15s %s%n";

    @Option(names = "--since", paramLabel = "TIME", description = "Records at or after TIME: an ISO-8601 instant, or an age like 30m, 12h, 7d.")
    private String since;

    @Option(names = "--until", paramLabel = "TIME", description = "Records before TIME (same forms as --since).")
    private String until;

    @Option(names = "--principal", paramLabel = "WHO", description = "An IAM ARN, a user name, or an account id (its root).")
    private String principal;

    @Option(names = "--repository", paramLabel = "NAME", description = "Records about this repository.")
    private String repository;

    @Option(names = "--event-name", paramLabel = "NAME", description = "e.g. PutImage, BatchGetImage, CreateRepository.")
    private String eventName;

    @Option(names = "--account", paramLabel = "ID", description = "Records of this account only (default: every account).")
    private String account;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "At most N records (default ${DEFAULT-VALUE}).")
    private int limit;

    @Option(names = "--json", description = "One CloudTrail-shaped JSON record per line.")
    private boolean json;

    @Option(names = "--data", paramLabel = "DIR", description = "Data directory (default ./data, or data: in the config file / WHARF_DATA).")
    private String data;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "YAML config file (or env WHARF_CONFIG).")
    private Path config;

    private final PrintWriter out;
    private final DataDirCommand dataDir;
    private final Clock clock;

    AuditCommand(Map<String, String> env, PrintWriter out, PrintWriter err) {
        this.out = out;
        this.dataDir = new DataDirCommand("wharf audit", env, err);
        this.clock = Clock.systemUTC();
    }

    @Override
    public Integer call() {
        return Quiet.run(() -> dataDir.withConfig(data, config, cfg -> {
            AuditQuery query;
            try {
                if (limit < 1 || limit > 1_000_000) {
                    throw new IllegalArgumentException("--limit must be 1 to 1000000");
                }
                query = new AuditQuery(account, time("--since", since), time("--until", until), eventName, principal,
                        repository, null, null, null, null, limit);
            } catch (IllegalArgumentException e) {
                return dataDir.fail(WharfCommand.EXIT_USAGE, e.getMessage());
            }
            try (Storage storage = Storage.open(cfg, Storage.Access.READ_ONLY)) {
                print(storage.metadata().audit().findAudit(query));
                return 0;
            }
        }));
    }

    private void print(List<AuditRecord> records) {
        if (!json) {
            out.printf(ROW, "TIME", "EVENT", "PRINCIPAL", "REPOSITORY", "SOURCE", "ERROR");
        }
        for (AuditRecord r : records) {
            if (json) {
                out.println(AuditJson.toJson(r));
            } else {
                String who = r.identity().arn() != null ? r.identity().arn() : "(unauthenticated)";
                out.printf(ROW, r.eventTime(), r.eventName(), who, r.repository() == null ? "-" : r.repository(),
                        r.sourceIp(), r.errorCode() == null ? "-" : r.errorCode());
            }
        }
        out.flush();
    }

    /** An ISO-8601 instant, or an age before now ({@code 30m}, {@code 7d}); null stays null. */
    private Instant time(String option, String text) {
        if (text == null) {
            return null;
        }
        Matcher m = AGO.matcher(text);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            Duration d = switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
            return clock.instant().minus(d);
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(option + " must be an ISO-8601 instant (2026-01-31T12:00:00Z) or an age (30m, 12h, 7d)");
        }
    }
}
