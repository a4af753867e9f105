package io.wharf.storage.jdbc;

import io.wharf.core.gallery.CatalogData;
import io.wharf.core.model.Digest;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.model.Tag;
import io.wharf.core.spi.GalleryIndex;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** {@link GalleryIndex} over the {@code repository_catalog} table (the logo's absence is an empty byte string). */
final class JdbcGallery implements GalleryIndex {
    private static final String CATALOG = "is_public, description, about_text, usage_text, architectures,"
            + " operating_systems, logo, logo_media_type, updated_at";
    private static final String LISTING = "SELECT " + CATALOG + " FROM repository_catalog WHERE repository_id = ?";
    private static final String EXISTS = "SELECT id FROM repository WHERE id = ?";
    private static final String IS_PUBLIC = "SELECT c.is_public FROM repository r JOIN repository_catalog c"
            + " ON c.repository_id = r.id WHERE r.account = ? AND r.name = ?";
    private static final String SEARCH = "SELECT " + prefixed("r.", JdbcRepositories.COLUMNS) + ", " + prefixed("c.", CATALOG)
            + " FROM repository r JOIN repository_catalog c ON c.repository_id = r.id"
            + " WHERE r.account = ? AND c.is_public = 1 AND r.name > ?";
    /** One per search word: the word somewhere in the searchable texts. */
    private static final String TERM = " AND (lower(r.name) LIKE ? ESCAPE '\\' OR lower(coalesce(c.description, ''))"
            + " LIKE ? ESCAPE '\\' OR lower(coalesce(c.about_text, '')) LIKE ? ESCAPE '\\'"
            + " OR lower(c.architectures) LIKE ? ESCAPE '\\' OR lower(c.operating_systems) LIKE ? ESCAPE '\\')";
    private static final int TERM_PARAMETERS = 5;
    private static final String RECENT_TAGS = "SELECT name, digest, updated_at FROM tag WHERE repository_id = ?"
            + " ORDER BY updated_at DESC, name LIMIT ?";
    /** The page after a tag: older ones, and those written at the same millisecond with a later name. */
    private static final String RECENT_TAGS_AFTER = "SELECT name, digest, updated_at FROM tag WHERE repository_id = ?"
            + " AND (updated_at < ? OR (updated_at = ? AND name > ?)) ORDER BY updated_at DESC, name LIMIT ?";

    private final Jdbc jdbc;
    private final String upsertVisibility;
    private final String upsertCatalog;

    JdbcGallery(Jdbc jdbc, SqlDialect dialect) {
        this.jdbc = jdbc;
        List<String> key = List.of("repository_id");
        this.upsertVisibility = dialect.upsert("repository_catalog", List.of("repository_id", "is_public", "updated_at"),
                key, List.of("is_public", "updated_at"));
        List<String> data = List.of("description", "about_text", "usage_text", "architectures", "operating_systems",
                "logo", "logo_media_type", "updated_at");
        List<String> columns = new ArrayList<>(key);
        columns.addAll(data);
        this.upsertCatalog = dialect.upsert("repository_catalog", columns, key, data);
    }

    private static String prefixed(String prefix, String columns) {
        return String.join(", ", Arrays.stream(columns.split(",")).map(c -> prefix + c.strip()).toList());
    }

    @Override
    public Optional<Listing> listing(long repositoryId) {
        return jdbc.read("read catalog data", c -> Jdbc.queryOne(c, LISTING, JdbcGallery::listing, repositoryId));
    }

    @Override
    public boolean setPublic(long repositoryId, boolean isPublic, Instant now) {
        return jdbc.write("set repository visibility", c -> exists(c, repositoryId)
                && Jdbc.update(c, upsertVisibility, repositoryId, isPublic ? 1 : 0, now) > 0);
    }

    @Override
    public boolean putCatalogData(long repositoryId, CatalogData d, Instant now) {
        byte[] logo = d.logo() == null ? new byte[0] : d.logo().bytes();
        String logoType = d.logo() == null ? null : d.logo().mediaType();
        return jdbc.write("put catalog data", c -> exists(c, repositoryId)
                && Jdbc.update(c, upsertCatalog, repositoryId, d.description(), d.aboutText(), d.usageText(),
                        lines(d.architectures()), lines(d.operatingSystems()), logo, logoType, now) > 0);
    }

    private static boolean exists(Connection c, long repositoryId) throws SQLException {
        return Jdbc.queryOne(c, EXISTS, rs -> rs.getLong("id"), repositoryId).isPresent();
    }

    @Override
    public boolean isPublic(String account, RepositoryName name) {
        return jdbc.read("is the repository public", c ->
                Jdbc.queryOne(c, IS_PUBLIC, rs -> rs.getInt("is_public") != 0, account, name).orElse(false));
    }

    @Override
    public List<PublicRepository> searchPublic(String account, List<String> terms, RepositoryName after, int limit) {
        StringBuilder sql = new StringBuilder(SEARCH);
        List<Object> args = new ArrayList<>(List.of(account, after == null ? "" : after.value()));
        for (String term : terms) {
            sql.append(TERM);
            String pattern = "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
            for (int i = 0; i < TERM_PARAMETERS; i++) {
                args.add(pattern);
            }
        }
        sql.append(" ORDER BY r.name LIMIT ?");
        args.add(Math.max(limit, 0));
        return jdbc.read("search public repositories", c -> Jdbc.query(c, sql.toString(),
                rs -> new PublicRepository(JdbcRepositories.repository(rs), catalog(rs)), args.toArray()));
    }

    @Override
    public List<RecentTag> recentTags(long repositoryId, RecentTag after, int limit) {
        Object[] args = after == null ? new Object[] {repositoryId, Math.max(limit, 0)}
                : new Object[] {repositoryId, after.updatedAt().toEpochMilli(), after.updatedAt().toEpochMilli(),
                after.tag().value(), Math.max(limit, 0)};
        return jdbc.read("recent tags", c -> Jdbc.query(c, after == null ? RECENT_TAGS : RECENT_TAGS_AFTER,
                rs -> new RecentTag(new Tag(rs.getString("name")), Digest.parse(rs.getString("digest")),
                        Jdbc.instant(rs, "updated_at")), args));
    }

    private static Listing listing(ResultSet rs) throws SQLException {
        return new Listing(rs.getInt("is_public") != 0, catalog(rs), Jdbc.instant(rs, "updated_at"));
    }

    private static CatalogData catalog(ResultSet rs) throws SQLException {
        String logoType = rs.getString("logo_media_type");
        CatalogData.Logo logo = logoType == null ? null : new CatalogData.Logo(logoType, rs.getBytes("logo"));
        return new CatalogData(rs.getString("description"), rs.getString("about_text"), rs.getString("usage_text"),
                split(rs.getString("architectures")), split(rs.getString("operating_systems")), logo);
    }

    private static String lines(List<String> values) {
        return String.join("\n", values);
    }

    private static List<String> split(String text) {
        return text.isEmpty() ? List.of() : List.of(text.split("\n"));
    }
}
