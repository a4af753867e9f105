package io.wharf.storage.jdbc;

import io.wharf.core.model.Digest;
import io.wharf.core.model.Tag;
import io.wharf.core.spi.TagIndex;
import java.util.List;
import java.util.Optional;

/** {@link TagIndex} over the {@code tag} table; tags are written by {@link JdbcManifests}. */
final class JdbcTags implements TagIndex {

    private static final String RESOLVE = "SELECT digest FROM tag WHERE repository_id = ? AND name = ?";
    private static final String LIST = "SELECT name FROM tag WHERE repository_id = ? AND name > ? ORDER BY name LIMIT ?";
    private static final String DELETE = "DELETE FROM tag WHERE repository_id = ? AND name = ?";

    private final Jdbc jdbc;

    JdbcTags(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Optional<Digest> resolveTag(long repositoryId, Tag tag) {
        return jdbc.read("resolve tag", repositoryId, c -> Jdbc.queryOne(c, RESOLVE, rs -> Digest.parse(rs.getString("digest")), repositoryId, tag));
    }

    /** A keyset page: the primary key index serves {@code name > ?} in order, however deep the page. */
    @Override
    public List<Tag> listTags(long repositoryId, Tag after, int limit) {
        String from = after == null ? "" : after.value();
        return jdbc.read("list tags", repositoryId, c ->
                Jdbc.query(c, LIST, rs -> new Tag(rs.getString("name")), repositoryId, from, Math.max(limit, 0)));
    }

    @Override
    public boolean deleteTag(long repositoryId, Tag tag) {
        return jdbc.write("delete tag", c -> Jdbc.update(c, DELETE, repositoryId, tag) > 0);
    }
}
