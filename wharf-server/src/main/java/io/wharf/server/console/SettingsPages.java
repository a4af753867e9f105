package io.wharf.server.console;

import io.wharf.core.pullthrough.PullThroughService;
import io.wharf.core.spi.DocumentKind;
import io.wharf.core.spi.PullThroughIndex;
import io.wharf.core.template.CreationTemplate;
import io.wharf.scan.service.ScanningConfiguration;
import io.wharf.server.auth.AuthException;
import io.wharf.server.console.SettingsPage.Section;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;

/**
 * The registry's settings as they are, read through the domain services the ECR operations use. Every section is
 * authorized with its ECR read action on {@code *} (what the ECR API authorizes registry-wide actions on), so a
 * caller sees the sections they could read with the API, and is told which action the others need.
 */
final class SettingsPages {
    static final String DESCRIBE_REGISTRY = "ecr:DescribeRegistry";
    /** Templates shown; more than a registry is likely to have ({@code templates.max}, 50 by default). */
    private static final int MAX_TEMPLATES = 1000;

    private final ConsoleContext context;

    SettingsPages(ConsoleContext context) {
        this.context = context;
    }

    Reply show(ConsoleCall call) {
        String account = call.principal().account();
        return Reply.page("settings.jte", new SettingsPage(call.frame("Registry settings"),
                section(call, "ecr:GetRegistryScanningConfiguration", () -> scanning(account)),
                section(call, DESCRIBE_REGISTRY, () -> replication(account)),
                pullThrough(call, account),
                section(call, "ecr:DescribeRepositoryCreationTemplates", () -> templates(account)),
                section(call, "ecr:GetRegistryPolicy", () -> registryPolicy(account))));
    }

    private static <T> Section<T> section(ConsoleCall call, String action, Supplier<T> value) {
        try {
            call.authorize(action, "*");
        } catch (AuthException e) {
            return new Section<>(null, "Not shown: reading it needs " + action + ".");
        }
        return new Section<>(value.get(), null);
    }

    private SettingsPage.Scanning scanning(String account) {
        if (context.scans() == null) {
            return null;
        }
        ScanningConfiguration c = context.scans().registryConfiguration(account);
        return new SettingsPage.Scanning(c.scanType(), c.rules().stream().map(r -> new SettingsPage.ScanRule(
                r.scanFrequency(), r.repositoryFilters().stream().map(f -> f.filter() + " (" + f.filterType() + ")")
                .toList())).toList());
    }

    private List<SettingsPage.ReplicationRule> replication(String account) {
        return context.admin().replication().configuration(account).rules().stream()
                .map(r -> new SettingsPage.ReplicationRule(
                        r.destinations().stream().map(d -> d.registryId() + " in " + d.region()).toList(),
                        r.repositoryFilters() == null ? List.of("every repository") : r.repositoryFilters().stream()
                                .map(f -> f.filter() + " (" + f.filterType() + ")").toList()))
                .toList();
    }

    private Section<List<SettingsPage.PullThroughRule>> pullThrough(ConsoleCall call, String account) {
        PullThroughService rules = context.admin().pullThrough();
        if (rules == null) {
            return new Section<>(null, "The pull-through cache is not served.");
        }
        return section(call, "ecr:DescribePullThroughCacheRules",
                () -> rules.describe(account, null).stream().map(SettingsPages::rule).toList());
    }

    private static SettingsPage.PullThroughRule rule(PullThroughIndex.Rule r) {
        return new SettingsPage.PullThroughRule(r.prefix(), r.upstreamRegistryUrl(), r.upstreamRegistry(),
                r.upstreamRepositoryPrefix() == null ? "ROOT" : r.upstreamRepositoryPrefix(),
                r.credentialArn() == null ? "none" : r.credentialArn(), Format.time(r.updatedAt()));
    }

    private List<SettingsPage.Template> templates(String account) {
        return context.registry().templates().page(account, null, MAX_TEMPLATES).stream()
                .map(SettingsPages::template).toList();
    }

    private static SettingsPage.Template template(CreationTemplate t) {
        return new SettingsPage.Template(t.prefix(), t.description() == null ? "" : t.description(),
                t.appliedFor().stream().map(Enum::name).sorted().toList(),
                t.tagMutability() == null ? "MUTABLE" : t.tagMutability().mode().name(),
                t.encryption() == null ? "AES256" : t.encryption().type().name(),
                t.repositoryPolicy() != null, t.lifecyclePolicy() != null, Format.time(t.updatedAt()));
    }

    /** The registry policy pretty-printed; null: none. */
    private String registryPolicy(String account) {
        return context.registry().repositories().accountDocument(account, DocumentKind.REGISTRY_POLICY)
                .map(d -> ManifestJson.pretty(d.text().getBytes(StandardCharsets.UTF_8))).orElse(null);
    }
}
