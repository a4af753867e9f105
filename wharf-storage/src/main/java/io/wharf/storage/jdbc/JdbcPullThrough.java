package io.wharf.storage.jdbc;

import io.wharf.core.model.RepositoryName;
import io.wharf.core.model.Tag;
import io.wharf.core.spi.PullThroughIndex;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@link PullThroughIndex} over {@code pull_through_rule} and {@code pull_through_tag} (V18). A rule's creation
 * counts and inserts under the account's lock, so two nodes cannot both take the last slot. No read cache holds
 * these tables (the server caches the rules itself, briefly).
 */
final class JdbcPullThrough implements PullThroughIndex {
    private static final String COLUMNS = "account, prefix, upstream_url, upstream_registry, credential_arn,"
            + " custom_role_arn, upstream_prefix, created_at, updated_at";
    private static final String ALL = "SELECT " + COLUMNS + " FROM pull_through_rule";
    private static final String BY_ACCOUNT = ALL + " WHERE account = ? ORDER BY prefix";
    private static final String FIND = ALL + " WHERE account = ? AND prefix = ?";
    private static final String COUNT = "SELECT COUNT(*) FROM pull_through_rule WHERE account = ?";
    private static final String INSERT = "INSERT INTO pull_through_rule (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String UPDATE = "UPDATE pull_through_rule SET credential_arn = ?, custom_role_arn = ?,"
            + " updated_at = ? WHERE account = ? AND prefix = ?";
    private static final String DELETE = "DELETE FROM pull_through_rule WHERE account = ? AND prefix = ?";
    private static final String CHECKED = "SELECT checked_at FROM pull_through_tag WHERE account = ? AND repository = ? AND tag = ?";

    private final Jdbc jdbc;
    private final String tagUpsert;

    JdbcPullThrough(Jdbc jdbc, SqlDialect dialect) {
        this.jdbc = jdbc;
        this.tagUpsert = dialect.upsert("pull_through_tag", List.of("account", "repository", "tag", "checked_at"),
                List.of("account", "repository", "tag"), List.of("checked_at"));
    }

    @Override
    public CreateOutcome createRule(Rule r, int maxRules) {
        return jdbc.writeUncached("create a pull-through cache rule", c -> {
            jdbc.lock(c, "pull-through rules of " + r.account());
            if (Jdbc.queryOne(c, FIND, JdbcPullThrough::rule, r.account(), r.prefix()).isPresent()) {
                return CreateOutcome.EXISTS;
            }
            long count = Jdbc.queryOne(c, COUNT, rs -> rs.getLong(1), r.account()).orElse(0L);
            if (count >= maxRules) {
                return CreateOutcome.LIMIT_EXCEEDED;
            }
            Jdbc.update(c, INSERT, r.account(), r.prefix(), r.upstreamRegistryUrl(), r.upstreamRegistry(),
                    r.credentialArn(), r.customRoleArn(), r.upstreamRepositoryPrefix(), r.createdAt(), r.updatedAt());
            return CreateOutcome.CREATED;
        });
    }

    @Override
    public Optional<Rule> findRule(String account, String prefix) {
        return jdbc.read("find a pull-through cache rule", c -> Jdbc.queryOne(c, FIND, JdbcPullThrough::rule, account, prefix));
    }

    @Override
    public List<Rule> rules(String account) {
        return jdbc.read("list pull-through cache rules", c -> Jdbc.query(c, BY_ACCOUNT, JdbcPullThrough::rule, account));
    }

    @Override
    public List<Rule> allRules() {
        return jdbc.read("load pull-through cache rules", c -> Jdbc.query(c, ALL, JdbcPullThrough::rule));
    }

    @Override
    public Optional<Rule> updateRule(String account, String prefix, String credentialArn, String customRoleArn, Instant now) {
        return jdbc.writeUncached("update a pull-through cache rule", c -> {
            if (Jdbc.update(c, UPDATE, credentialArn, customRoleArn, now, account, prefix) == 0) {
                return Optional.empty();
            }
            return Jdbc.queryOne(c, FIND, JdbcPullThrough::rule, account, prefix);
        });
    }

    @Override
    public Optional<Rule> deleteRule(String account, String prefix) {
        return jdbc.writeUncached("delete a pull-through cache rule", c -> {
            Optional<Rule> found = Jdbc.queryOne(c, FIND, JdbcPullThrough::rule, account, prefix);
            if (found.isPresent()) {
                Jdbc.update(c, DELETE, account, prefix);
            }
            return found;
        });
    }

    @Override
    public Optional<Instant> tagCheckedAt(String account, RepositoryName repository, Tag tag) {
        return jdbc.read("read a cached tag's freshness",
                c -> Jdbc.queryOne(c, CHECKED, rs -> Jdbc.instant(rs, "checked_at"), account, repository, tag));
    }

    @Override
    public void tagChecked(String account, RepositoryName repository, Tag tag, Instant at) {
        jdbc.writeUncached("record a cached tag's freshness", c -> Jdbc.update(c, tagUpsert, account, repository, tag, at));
    }

    private static Rule rule(ResultSet rs) throws SQLException {
        return new Rule(rs.getString("account"), rs.getString("prefix"), rs.getString("upstream_url"),
                rs.getString("upstream_registry"), rs.getString("credential_arn"), rs.getString("custom_role_arn"),
                rs.getString("upstream_prefix"), Jdbc.instant(rs, "created_at"), Jdbc.instant(rs, "updated_at"));
    }
}
