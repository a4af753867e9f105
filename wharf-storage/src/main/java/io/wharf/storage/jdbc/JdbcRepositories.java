package io.wharf.storage.jdbc;

import io.wharf.core.model.Encryption;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.model.RepositorySettings;
import io.wharf.core.model.TagFilter;
import io.wharf.core.model.TagMutability;
import io.wharf.core.model.TagMutabilityPolicy;
import io.wharf.core.spi.DocumentKind;
import io.wharf.core.spi.Repository;
import io.wharf.core.spi.RepositoryIndex;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** {@link RepositoryIndex} over the {@code repository} table. */
final class JdbcRepositories implements RepositoryIndex {

    static final String COLUMNS = "id, account, name, created_at, tag_mutability, tag_mutability_filters,"
            + " scan_on_push, scan_on_push_changed_at, encryption_type, kms_key";
    private static final String FIND = "SELECT " + COLUMNS + " FROM repository WHERE account = ? AND name = ?";
    private static final String LIST = "SELECT name FROM repository WHERE account = ? AND name > ? ORDER BY name LIMIT ?";
    private static final String DESCRIBE = "SELECT " + COLUMNS + " FROM repository WHERE account = ? AND name > ?"
            + " ORDER BY name LIMIT ?";
    private static final String DESCRIBE_LAST = "SELECT " + COLUMNS + " FROM repository WHERE account = ?"
            + " ORDER BY name DESC LIMIT ?";
    private static final String DESCRIBE_BEFORE = "SELECT " + COLUMNS + " FROM repository WHERE account = ?"
            + " AND name < ? ORDER BY name DESC LIMIT ?";
    private static final String WITH_DOCUMENT = "SELECT " + COLUMNS + " FROM repository WHERE id IN"
            + " (SELECT repository_id FROM repository_document WHERE kind = ?) ORDER BY id";
    private static final String COUNT = "SELECT COUNT(*) AS n FROM repository WHERE account = ?";
    private static final String UPDATE = "UPDATE repository SET tag_mutability = ?, tag_mutability_filters = ?,"
            + " scan_on_push_changed_at = CASE WHEN scan_on_push <> ? THEN ? ELSE scan_on_push_changed_at END,"
            + " scan_on_push = ?, encryption_type = ?, kms_key = ? WHERE id = ?";
    private static final String DELETE = "DELETE FROM repository WHERE id = ?";

    private final Jdbc jdbc;
    private final String findForWrite;
    private final JdbcDocuments documents;
    private final String insert;
    private final String insertWithSettings;

    /** @param documents writes a new repository's resource tags in the same transaction */
    JdbcRepositories(Jdbc jdbc, SqlDialect dialect, JdbcDocuments documents) {
        this.jdbc = jdbc;
        this.findForWrite = FIND + dialect.lockRows(SqlDialect.RowLock.NO_KEY_UPDATE);
        this.documents = documents;
        List<String> key = List.of("account", "name");
        this.insert = dialect.insertIgnore("repository", List.of("account", "name", "created_at"), key);
        this.insertWithSettings = dialect.insertIgnore("repository", List.of("account", "name", "created_at",
                "tag_mutability", "tag_mutability_filters", "scan_on_push", "encryption_type", "kms_key"), key);
    }

    @Override
    public Optional<Repository> findRepository(String account, RepositoryName name) {
        return jdbc.read("find repository", c -> find(c, account, name));
    }

    /** Insert-if-absent then read back, in one transaction: concurrent callers all get the one row. */
    @Override
    public Repository createRepository(String account, RepositoryName name, Instant now) {
        return jdbc.write("create repository", c -> {
            Jdbc.update(c, insert, account, name, now);
            return find(c, account, name).orElseThrow();
        });
    }

    /** The repository row and its resource tags in one transaction. */
    @Override
    public Optional<Repository> createRepository(String account, RepositoryName name, RepositorySettings s,
                                                 Map<String, String> tags, Instant now) {
        return jdbc.write("create repository", c -> {
            Encryption e = s.encryption();
            int inserted = Jdbc.update(c, insertWithSettings, account, name, now, s.tagMutability().mode().name(),
                    filters(s.tagMutability()), s.scanOnPush() ? 1 : 0, e.type().name(), e.kmsKey());
            Optional<Repository> created = inserted == 0 ? Optional.empty() : find(c, account, name);
            if (created.isPresent()) {
                documents.putResourceTags(c, created.get().id(), tags);
            }
            return created;
        });
    }

    @Override
    public List<Repository> describeRepositories(String account, RepositoryName after, int limit) {
        String from = after == null ? "" : after.value();
        return jdbc.read("describe repositories", c ->
                Jdbc.query(c, DESCRIBE, JdbcRepositories::repository, account, from, Math.max(limit, 0)));
    }

    @Override
    public List<Repository> describeRepositoriesDescending(String account, RepositoryName before, int limit) {
        int n = Math.max(limit, 0);
        return jdbc.read("describe repositories", c -> before == null
                ? Jdbc.query(c, DESCRIBE_LAST, JdbcRepositories::repository, account, n)
                : Jdbc.query(c, DESCRIBE_BEFORE, JdbcRepositories::repository, account, before.value(), n));
    }

    @Override
    public List<Repository> repositoriesWithDocument(DocumentKind kind) {
        return jdbc.read("repositories with document", c ->
                Jdbc.query(c, WITH_DOCUMENT, JdbcRepositories::repository, kind.name()));
    }

    /** Inside a write transaction, a check before a create: the account's creations wait for each other. */
    @Override
    public long countRepositories(String account) {
        return jdbc.read("count repositories", c -> {
            if (jdbc.inTransaction()) {
                jdbc.lock(c, "repositories of " + account);
            }
            return Jdbc.queryOne(c, COUNT, rs -> rs.getLong("n"), account).orElse(0L);
        });
    }

    @Override
    public boolean updateRepositorySettings(long repositoryId, RepositorySettings s, Instant now) {
        Encryption e = s.encryption();
        int scan = s.scanOnPush() ? 1 : 0;
        return jdbc.write("update repository", c -> Jdbc.update(c, UPDATE, s.tagMutability().mode().name(),
                filters(s.tagMutability()), scan, now, scan, e.type().name(), e.kmsKey(), repositoryId) > 0);
    }

    /** One statement: the foreign keys cascade to images, tags, links, uploads and documents. */
    @Override
    public boolean deleteRepository(long repositoryId) {
        return jdbc.write("delete repository", c -> Jdbc.update(c, DELETE, repositoryId) > 0);
    }

    @Override
    public List<RepositoryName> listRepositories(String account, RepositoryName after, int limit) {
        // every valid name sorts after "", so one statement serves the first page too
        String from = after == null ? "" : after.value();
        return jdbc.read("list repositories", c ->
                Jdbc.query(c, LIST, rs -> new RepositoryName(rs.getString("name")), account, from, Math.max(limit, 0)));
    }

    /** Inside a write transaction, the row is locked ({@link Jdbc#guard}): the settings read are those written against. */
    private Optional<Repository> find(Connection c, String account, RepositoryName name) throws SQLException {
        if (!jdbc.inTransaction()) {
            return Jdbc.queryOne(c, FIND, JdbcRepositories::repository, account, name);
        }
        Optional<Repository> found = Jdbc.queryOne(c, findForWrite, JdbcRepositories::repository, account, name);
        found.ifPresent(r -> jdbc.guarded(r.id()));
        return found;
    }

    static Repository repository(ResultSet rs) throws SQLException {
        TagMutabilityPolicy mutability = new TagMutabilityPolicy(TagMutability.valueOf(rs.getString("tag_mutability")),
                parseFilters(rs.getString("tag_mutability_filters")));
        Encryption encryption = new Encryption(Encryption.Type.valueOf(rs.getString("encryption_type")), rs.getString("kms_key"));
        RepositorySettings settings = new RepositorySettings(mutability, rs.getInt("scan_on_push") != 0, encryption);
        long changedMillis = rs.getLong("scan_on_push_changed_at");
        Instant changed = rs.wasNull() ? null : Instant.ofEpochMilli(changedMillis);
        return new Repository(rs.getLong("id"), rs.getString("account"), new RepositoryName(rs.getString("name")),
                Jdbc.instant(rs, "created_at"), settings, changed);
    }

    private static String filters(TagMutabilityPolicy policy) {
        return policy.exclusions().stream().map(TagFilter::value).collect(Collectors.joining(","));
    }

    private static List<TagFilter> parseFilters(String text) {
        return text.isEmpty() ? List.of() : Arrays.stream(text.split(",")).map(TagFilter::new).toList();
    }
}
