package io.wharf.core.pullthrough;

import io.wharf.core.error.LimitExceededException;
import io.wharf.core.error.PullThroughException;
import io.wharf.core.error.PullThroughException.Kind;
import io.wharf.core.remote.RemoteCredentials;
import io.wharf.core.remote.RemoteException;
import io.wharf.core.remote.RemoteRegistries;
import io.wharf.core.remote.RemoteRegistry;
import io.wharf.core.secret.UpstreamSecret;
import io.wharf.core.secret.UpstreamSecrets;
import io.wharf.core.service.RepoKey;
import io.wharf.core.spi.PullThroughIndex;
import io.wharf.core.spi.PullThroughIndex.CreateOutcome;
import io.wharf.core.spi.PullThroughIndex.Rule;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Pull-through cache rules (ECR's five operations) and which rule, if any, covers a repository. The pull path asks
 * {@link #route} on every manifest and blob request, so it answers from a copy of all rules read at most once per
 * {@code rulesCache}: a repository outside every rule costs no database query.
 */
public final class PullThroughService {
    private record Snapshot(Instant loadedAt, Map<String, List<Rule>> byAccount) {
    }

    /** A rule's upstream login, checked: {@code failure} says why it is not valid. */
    public record Validation(Rule rule, boolean valid, String failure) {
    }

    private final PullThroughIndex index;
    private final RemoteRegistries remotes;
    private final UpstreamSecrets secrets;
    private final PullThroughSettings settings;
    private final Clock clock;
    private final Map<String, RemoteRegistry> clients = new ConcurrentHashMap<>();
    private volatile Snapshot snapshot;

    public PullThroughService(PullThroughIndex index, RemoteRegistries remotes, UpstreamSecrets secrets,
                              PullThroughSettings settings, Clock clock) {
        this.index = index;
        this.remotes = remotes;
        this.secrets = secrets;
        this.settings = settings;
        this.clock = clock;
    }

    public PullThroughSettings settings() {
        return settings;
    }

    PullThroughIndex index() {
        return index;
    }

    // ---- rules

    public Rule create(String account, RuleRequest req) {
        String prefix = RuleChecks.prefix("ecrRepositoryPrefix", req.ecrRepositoryPrefix());
        if (req.upstreamRegistryUrl() == null || req.upstreamRegistryUrl().isEmpty()) {
            throw RuleChecks.invalid("upstreamRegistryUrl", "must not be null or empty");
        }
        URI endpoint = Upstreams.endpoint(req.upstreamRegistryUrl());
        String upstream = RuleChecks.upstreamName(req.upstreamRegistry(), Upstreams.derive(endpoint));
        // absent stays absent (routed like ROOT): Terraform's provider re-plans a rule whose describe adds "ROOT"
        String upstreamPrefix = req.upstreamRepositoryPrefix() == null ? null
                : RuleChecks.prefix("upstreamRepositoryPrefix", req.upstreamRepositoryPrefix());
        String credential = checkedCredential(account, req.credentialArn());
        Instant now = clock.instant();
        Rule rule = new Rule(account, prefix, req.upstreamRegistryUrl(), upstream, credential,
                RuleChecks.role(req.customRoleArn()), upstreamPrefix, now, now);
        CreateOutcome outcome = index.createRule(rule, settings.maxRules());
        switch (outcome) {
            case EXISTS -> throw new PullThroughException(Kind.RULE_ALREADY_EXISTS, "A pull-through cache rule with the "
                    + "prefix '" + prefix + "' already exists in the registry with id '" + account + "'", prefix);
            case LIMIT_EXCEEDED -> throw new LimitExceededException("The maximum number of pull-through cache rules ("
                    + settings.maxRules() + ") for the registry has been reached", prefix);
            case CREATED -> changed();
        }
        return rule;
    }

    /** The account's rules, or exactly the named ones (each must exist). */
    public List<Rule> describe(String account, List<String> prefixes) {
        if (prefixes == null || prefixes.isEmpty()) {
            return index.rules(account);
        }
        List<Rule> found = new ArrayList<>();
        for (String p : prefixes) {
            found.add(require(account, RuleChecks.prefix("ecrRepositoryPrefixes", p)));
        }
        return found;
    }

    /** Sets the ARNs given (an absent one keeps its value). */
    public Rule update(String account, String prefix, String credentialArn, String customRoleArn) {
        Rule old = require(account, RuleChecks.prefix("ecrRepositoryPrefix", prefix));
        String credential = credentialArn == null ? old.credentialArn() : checkedCredential(account, credentialArn);
        String role = customRoleArn == null ? old.customRoleArn() : RuleChecks.role(customRoleArn);
        Rule updated = index.updateRule(account, prefix, credential, role, clock.instant())
                .orElseThrow(() -> notFound(account, prefix));
        changed();
        return updated;
    }

    public Rule delete(String account, String prefix) {
        Rule gone = index.deleteRule(account, RuleChecks.prefix("ecrRepositoryPrefix", prefix))
                .orElseThrow(() -> notFound(account, prefix));
        changed();
        return gone;
    }

    /** Reads the rule's secret and logs into its upstream. */
    public Validation validate(String account, String prefix) {
        Rule rule = require(account, RuleChecks.prefix("ecrRepositoryPrefix", prefix));
        try {
            upstream(rule).ping();
            return new Validation(rule, true, null);
        } catch (RemoteException e) {
            return new Validation(rule, false, e.kind() + ": " + e.getMessage());
        } catch (PullThroughException e) {
            return new Validation(rule, false, e.kind() + ": " + e.getMessage());
        }
    }

    private Rule require(String account, String prefix) {
        return index.findRule(account, prefix).orElseThrow(() -> notFound(account, prefix));
    }

    private static PullThroughException notFound(String account, String prefix) {
        return new PullThroughException(Kind.RULE_NOT_FOUND, "The pull-through cache rule with the prefix '" + prefix
                + "' does not exist in the registry with id '" + account + "'", prefix);
    }

    /** A well-formed credential ARN of this account whose secret exists and opens. */
    private String checkedCredential(String account, String arn) {
        if (arn == null || arn.isEmpty()) {
            return null;
        }
        secret(account, RuleChecks.secretName(arn, account, settings.region()));
        return arn;
    }

    // ---- the pull path

    /** The rule covering the repository (the longest prefix; ROOT last), from the cached copy of the rules. */
    public Optional<CacheRoute> route(RepoKey key) {
        List<Rule> rules = current().byAccount().get(key.account());
        if (rules == null) {
            return Optional.empty();
        }
        for (Rule r : rules) {
            CacheRoute route = CacheRoute.of(r, key.name().value());
            if (route != null) {
                return Optional.of(route);
            }
        }
        return Optional.empty();
    }

    private Snapshot current() {
        Snapshot s = snapshot;
        if (s != null && s.loadedAt().plus(settings.rulesCache()).isAfter(clock.instant())) {
            return s;
        }
        synchronized (this) {
            s = snapshot;
            if (s == null || !s.loadedAt().plus(settings.rulesCache()).isAfter(clock.instant())) {
                s = load();
                snapshot = s;
            }
            return s;
        }
    }

    private Snapshot load() {
        Map<String, List<Rule>> byAccount = new HashMap<>();
        for (Rule r : index.allRules()) {
            byAccount.computeIfAbsent(r.account(), a -> new ArrayList<>()).add(r);
        }
        // ROOT last, then the longest prefix first: the most specific rule wins
        Comparator<Rule> order = Comparator.comparing((Rule r) -> RuleChecks.ROOT.equals(r.prefix()))
                .thenComparing(r -> -r.prefix().length());
        byAccount.values().forEach(l -> l.sort(order));
        if (clients.size() > 4 * settings.maxRules()) {
            clients.clear(); // clients of changed or deleted rules
        }
        return new Snapshot(clock.instant(), byAccount);
    }

    /** This node changed a rule: its next pull reads them again. */
    private void changed() {
        snapshot = null;
    }

    /** The client of the rule's upstream, logged in with its secret (one per rule version, so tokens are reused). */
    RemoteRegistry upstream(Rule rule) {
        String key = rule.account() + "/" + rule.prefix() + "@" + rule.updatedAt().toEpochMilli();
        RemoteRegistry client = clients.get(key);
        if (client == null) {
            URI endpoint = Upstreams.endpoint(rule.upstreamRegistryUrl());
            client = remotes.open(endpoint, credentials(rule, endpoint));
            clients.put(key, client);
        }
        return client;
    }

    private RemoteCredentials credentials(Rule rule, URI endpoint) {
        if (rule.credentialArn() == null) {
            return RemoteCredentials.ANONYMOUS;
        }
        UpstreamSecret s = secret(rule.account(), RuleChecks.secretName(rule.credentialArn(), rule.account(),
                settings.region()));
        if (Upstreams.ECR.equals(rule.upstreamRegistry())) {
            return new RemoteCredentials.AwsKeys(s.username(), s.accessToken(),
                    Upstreams.ecrRegion(endpoint).orElse(settings.region()));
        }
        return new RemoteCredentials.Password(s.username(), s.accessToken());
    }

    /** The secret by name; Secrets Manager ARNs may end in a random {@code -XXXXXX} the name does not have. */
    private UpstreamSecret secret(String account, String name) {
        try {
            Optional<UpstreamSecret> found = secrets.read(account, name);
            if (found.isEmpty() && name.matches(".*-[A-Za-z0-9]{6}")) {
                found = secrets.read(account, name.substring(0, name.length() - 7));
            }
            return found.orElseThrow(() -> new PullThroughException(Kind.SECRET_NOT_FOUND,
                    "The secret '" + name + "' does not exist", name));
        } catch (IllegalStateException e) {
            throw new PullThroughException(Kind.SECRET_UNREADABLE, "The secret '" + name + "' cannot be read: it must "
                    + "be JSON with username and accessToken", name);
        }
    }
}
