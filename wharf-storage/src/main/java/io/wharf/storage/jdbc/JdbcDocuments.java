package io.wharf.storage.jdbc;

import io.wharf.core.spi.DocumentIndex;
import io.wharf.core.spi.DocumentKind;
import io.wharf.core.spi.ResourceTagIndex;
import io.wharf.core.spi.StoredDocument;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/** {@link DocumentIndex} and {@link ResourceTagIndex}: small per-repository and per-account key/value tables. */
final class JdbcDocuments implements DocumentIndex, ResourceTagIndex {

    private static final String FIND_REPO = "SELECT content, updated_at FROM repository_document WHERE repository_id = ? AND kind = ?";
    private static final String DELETE_REPO = "DELETE FROM repository_document WHERE repository_id = ? AND kind = ?";
    private static final String FIND_ACCOUNT = "SELECT content, updated_at FROM account_document WHERE account = ? AND kind = ?";
    private static final String DELETE_ACCOUNT = "DELETE FROM account_document WHERE account = ? AND kind = ?";
    private static final String TAGS = "SELECT tag_key, tag_value FROM repository_tag WHERE repository_id = ?";
    private static final String DELETE_TAG = "DELETE FROM repository_tag WHERE repository_id = ? AND tag_key = ?";

    private final Jdbc jdbc;
    private final String upsertRepo;
    private final String upsertAccount;
    private final String upsertTag;

    JdbcDocuments(Jdbc jdbc, SqlDialect dialect) {
        this.jdbc = jdbc;
        this.upsertRepo = dialect.upsert("repository_document", List.of("repository_id", "kind", "content", "updated_at"),
                List.of("repository_id", "kind"), List.of("content", "updated_at"));
        this.upsertAccount = dialect.upsert("account_document", List.of("account", "kind", "content", "updated_at"),
                List.of("account", "kind"), List.of("content", "updated_at"));
        this.upsertTag = dialect.upsert("repository_tag", List.of("repository_id", "tag_key", "tag_value"),
                List.of("repository_id", "tag_key"), List.of("tag_value"));
    }

    @Override
    public Optional<StoredDocument> repositoryDocument(long repositoryId, DocumentKind kind) {
        return jdbc.read("find document", repositoryId, c -> Jdbc.queryOne(c, FIND_REPO, JdbcDocuments::document, repositoryId, kind.name()));
    }

    @Override
    public boolean putRepositoryDocument(long repositoryId, DocumentKind kind, String text, Instant now) {
        return jdbc.write("put document", c -> jdbc.guard(c, repositoryId)
                && Jdbc.update(c, upsertRepo, repositoryId, kind.name(), text, now) > 0);
    }

    @Override
    public boolean deleteRepositoryDocument(long repositoryId, DocumentKind kind) {
        return jdbc.write("delete document", c -> Jdbc.update(c, DELETE_REPO, repositoryId, kind.name()) > 0);
    }

    @Override
    public Optional<StoredDocument> accountDocument(String account, DocumentKind kind) {
        return jdbc.read("find document", c -> Jdbc.queryOne(c, FIND_ACCOUNT, JdbcDocuments::document, account, kind.name()));
    }

    @Override
    public void putAccountDocument(String account, DocumentKind kind, String text, Instant now) {
        jdbc.write("put document", c -> Jdbc.update(c, upsertAccount, account, kind.name(), text, now));
    }

    @Override
    public boolean deleteAccountDocument(String account, DocumentKind kind) {
        return jdbc.write("delete document", c -> Jdbc.update(c, DELETE_ACCOUNT, account, kind.name()) > 0);
    }

    @Override
    public SortedMap<String, String> resourceTags(long repositoryId) {
        return jdbc.read("resource tags", repositoryId, c -> {
            SortedMap<String, String> tags = new TreeMap<>();
            Jdbc.query(c, TAGS, rs -> tags.put(rs.getString("tag_key"), rs.getString("tag_value")), repositoryId);
            return tags;
        });
    }

    @Override
    public boolean putResourceTags(long repositoryId, Map<String, String> tags) {
        return jdbc.write("put resource tags", c -> {
            if (!jdbc.guard(c, repositoryId)) {
                return false;
            }
            putResourceTags(c, repositoryId, tags);
            return true;
        });
    }

    /** Within the caller's transaction. */
    void putResourceTags(Connection c, long repositoryId, Map<String, String> tags) throws SQLException {
        List<Object[]> rows = tags.entrySet().stream().map(e -> new Object[] {repositoryId, e.getKey(), e.getValue()}).toList();
        Jdbc.batch(c, upsertTag, rows);
    }

    @Override
    public void removeResourceTags(long repositoryId, Collection<String> keys) {
        List<Object[]> rows = keys.stream().map(k -> new Object[] {repositoryId, k}).toList();
        jdbc.write("remove resource tags", c -> {
            Jdbc.batch(c, DELETE_TAG, rows);
            return null;
        });
    }

    private static StoredDocument document(ResultSet rs) throws SQLException {
        return new StoredDocument(rs.getString("content"), Jdbc.instant(rs, "updated_at"));
    }
}
