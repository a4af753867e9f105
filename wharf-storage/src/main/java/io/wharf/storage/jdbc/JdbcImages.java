package io.wharf.storage.jdbc;

import io.wharf.core.model.Digest;
import io.wharf.core.model.Tag;
import io.wharf.core.spi.ImageIndex;
import io.wharf.core.spi.ImageRecord;
import io.wharf.core.spi.ImageSummary;
import io.wharf.core.spi.ImageTagRef;
import io.wharf.core.spi.StoredManifest;
import io.wharf.core.spi.TagStatus;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@link ImageIndex}: manifests joined with their tags, keyset-paginated on the primary keys. */
final class JdbcImages implements ImageIndex {

    private static final String HAS_TAG = "EXISTS (SELECT 1 FROM tag t WHERE t.repository_id = m.repository_id"
            + " AND t.digest = m.digest)";
    private static final String LIST = "SELECT " + JdbcManifests.COLUMNS + " FROM manifest m"
            + " WHERE m.repository_id = ? AND m.digest > ? %s ORDER BY m.digest LIMIT ?";
    // No ORDER BY: sorting by name made SQLite walk the repository's whole tag index for every page (quadratic in
    // a listing of a large repository); tag_by_digest finds the rows, and each image's few tags are sorted here.
    private static final String TAGS_OF = "SELECT digest, name FROM tag WHERE repository_id = ? AND digest IN (%s)";
    private static final String LIST_TAGS = "SELECT m.digest AS digest, t.name AS name FROM manifest m"
            + " LEFT JOIN tag t ON t.repository_id = m.repository_id AND t.digest = m.digest"
            + " WHERE m.repository_id = ? AND (m.digest > ? OR (m.digest = ? AND COALESCE(t.name, '') > ?)) %s"
            + " ORDER BY m.digest, t.name LIMIT ?";
    private static final String SUMMARIES = "SELECT digest, subject_digest, pushed_at, last_pulled_at FROM manifest"
            + " WHERE repository_id = ? AND digest > ? ORDER BY digest LIMIT ?";
    private static final String INDEX_CHILDREN = "SELECT DISTINCT child_digest AS digest FROM manifest_ref"
            + " WHERE repository_id = ? AND kind = 'manifest'";
    private static final String FIND = "SELECT " + JdbcManifests.COLUMNS + " FROM manifest WHERE repository_id = ? AND digest = ?";
    /** The V22 triggers keep it in the writing transaction: exact, a primary-key read (a COUNT grew with the repository). */
    private static final String COUNT = "SELECT images AS n FROM repository_usage WHERE repository_id = ?";
    private static final String PARENTS = "SELECT parent_digest AS digest FROM manifest_ref"
            + " WHERE repository_id = ? AND child_digest = ? AND kind = 'manifest' ORDER BY parent_digest";
    private static final String BLOB_REFERENCED = "SELECT 1 AS hit FROM manifest_ref"
            + " WHERE repository_id = ? AND child_digest = ? AND kind = 'blob' LIMIT 1";
    private static final String RECORD_PULL = "UPDATE manifest SET last_pulled_at = ? WHERE repository_id = ? AND digest = ?";

    private final Jdbc jdbc;
    private final JdbcManifests manifests;

    /** @param manifests reads (and opens) the manifest rows */
    JdbcImages(Jdbc jdbc, JdbcManifests manifests) {
        this.jdbc = jdbc;
        this.manifests = manifests;
    }

    @Override
    public List<ImageRecord> listImages(long repositoryId, TagStatus status, Digest after, int limit) {
        String filter = switch (status) {
            case TAGGED -> "AND " + HAS_TAG;
            case UNTAGGED -> "AND NOT " + HAS_TAG;
            case ANY -> "";
        };
        String from = after == null ? "" : after.toString();
        return jdbc.read("list images", repositoryId, c -> {
            List<StoredManifest> found = Jdbc.query(c, LIST.formatted(filter), manifests::stored,
                    repositoryId, from, Math.max(limit, 0));
            Map<Digest, List<Tag>> tags = tagsOf(c, repositoryId, found.stream().map(StoredManifest::digest).toList());
            return found.stream().map(m -> new ImageRecord(m, tags.getOrDefault(m.digest(), List.of()))).toList();
        });
    }

    @Override
    public List<ImageSummary> summarizeImages(long repositoryId, Digest after, int limit) {
        String from = after == null ? "" : after.toString();
        return jdbc.read("summarize images", repositoryId, c -> {
            List<ImageSummary> found = Jdbc.query(c, SUMMARIES, rs -> {
                long pulled = rs.getLong("last_pulled_at");
                Instant lastPulled = rs.wasNull() ? null : Instant.ofEpochMilli(pulled);
                return new ImageSummary(Digest.parse(rs.getString("digest")), Jdbc.digestOrNull(rs, "subject_digest"),
                        Jdbc.instant(rs, "pushed_at"), lastPulled, List.of());
            }, repositoryId, from, Math.max(limit, 0));
            Map<Digest, List<Tag>> tags = tagsOf(c, repositoryId, found.stream().map(ImageSummary::digest).toList());
            return found.stream().map(s -> new ImageSummary(s.digest(), s.subject(), s.pushedAt(), s.lastPulledAt(),
                    tags.getOrDefault(s.digest(), List.of()))).toList();
        });
    }

    @Override
    public Set<Digest> indexChildren(long repositoryId) {
        return jdbc.read("index children", repositoryId, c -> new HashSet<>(
                Jdbc.query(c, INDEX_CHILDREN, rs -> Digest.parse(rs.getString("digest")), repositoryId)));
    }

    @Override
    public List<ImageTagRef> listImageTags(long repositoryId, TagStatus status, ImageTagRef after, int limit) {
        String filter = switch (status) {
            case TAGGED -> "AND t.name IS NOT NULL";
            case UNTAGGED -> "AND t.name IS NULL";
            case ANY -> "";
        };
        String digest = after == null ? "" : after.digest().toString();
        String tag = after == null || after.tag() == null ? "" : after.tag().value();
        return jdbc.read("list image tags", repositoryId, c -> Jdbc.query(c, LIST_TAGS.formatted(filter), rs -> {
            String name = rs.getString("name");
            return new ImageTagRef(Digest.parse(rs.getString("digest")), name == null ? null : new Tag(name));
        }, repositoryId, digest, digest, tag, Math.max(limit, 0)));
    }

    @Override
    public Optional<ImageRecord> findImage(long repositoryId, Digest digest) {
        return jdbc.read("find image", repositoryId, c -> {
            Optional<StoredManifest> found = Jdbc.queryOne(c, FIND, manifests::stored, repositoryId, digest);
            if (found.isEmpty()) {
                return Optional.<ImageRecord>empty();
            }
            List<Tag> tags = tagsOf(c, repositoryId, List.of(digest)).getOrDefault(digest, List.of());
            return Optional.of(new ImageRecord(found.get(), tags));
        });
    }

    @Override
    public long countImages(long repositoryId) {
        return jdbc.read("count images", repositoryId, c -> Jdbc.queryOne(c, COUNT, rs -> rs.getLong("n"), repositoryId).orElse(0L));
    }

    @Override
    public Set<Digest> parentsOf(long repositoryId, Digest child) {
        return jdbc.read("parents", repositoryId, c -> new LinkedHashSet<>(
                Jdbc.query(c, PARENTS, rs -> Digest.parse(rs.getString("digest")), repositoryId, child)));
    }

    @Override
    public boolean isBlobReferenced(long repositoryId, Digest blob) {
        return jdbc.read("blob referenced", repositoryId, c -> Jdbc.queryOne(c, BLOB_REFERENCED, rs -> true, repositoryId, blob).isPresent());
    }

    @Override
    public void recordPull(long repositoryId, Digest digest, Instant now) {
        jdbc.write("record pull", c -> Jdbc.update(c, RECORD_PULL, now, repositoryId, digest));
    }

    private static Map<Digest, List<Tag>> tagsOf(Connection c, long repositoryId, List<Digest> digests) throws SQLException {
        Map<Digest, List<Tag>> out = new HashMap<>();
        for (int from = 0; from < digests.size(); from += Jdbc.MAX_IN_LIST) {
            List<Digest> chunk = digests.subList(from, Math.min(digests.size(), from + Jdbc.MAX_IN_LIST));
            List<Object> args = new ArrayList<>(chunk.size() + 1);
            args.add(repositoryId);
            args.addAll(chunk);
            Jdbc.query(c, TAGS_OF.formatted(Jdbc.placeholders(chunk.size())), rs -> {
                out.computeIfAbsent(Digest.parse(rs.getString("digest")), d -> new ArrayList<>()).add(new Tag(rs.getString("name")));
                return null;
            }, args.toArray());
        }
        out.values().forEach(tags -> tags.sort(null));
        return out;
    }
}
