package io.wharf.server.cli;

import io.wharf.server.config.WharfConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The options of the commands that change one account's records in a data directory ({@code iam}, {@code secrets},
 * {@code webhooks}): where the data is, the configuration, and the account. Inherited by their subcommands.
 */
final class AccountStoreOptions {
    @Option(names = "--data", paramLabel = "DIR", scope = ScopeType.INHERIT,
            description = "Data directory (default ./data, or data: in the config file / WHARF_DATA).")
    String data;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "YAML config file (or env WHARF_CONFIG).")
    Path config;

    @Option(names = "--account", paramLabel = "ID", scope = ScopeType.INHERIT,
            description = "12-digit account (default: the configured account).")
    String account;

    /** The account given, else the configured one. */
    String account(WharfConfig cfg) {
        return account != null ? account : cfg.account();
    }
}
