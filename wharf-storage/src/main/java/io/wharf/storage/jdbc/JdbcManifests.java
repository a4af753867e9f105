package io.wharf.storage.jdbc;

import io.wharf.core.model.Descriptor;
import io.wharf.core.model.Digest;
import io.wharf.core.model.Encryption;
import io.wharf.core.model.Manifest;
import io.wharf.core.model.Tag;
import io.wharf.core.spi.ManifestIndex;
import io.wharf.core.spi.StoredManifest;
import io.wharf.core.spi.TagOutcome;
import io.wharf.storage.crypto.ManifestSealing;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@link ManifestIndex} over the {@code manifest}, {@code manifest_ref} and {@code tag} tables. */
final class JdbcManifests implements ManifestIndex {

    static final String COLUMNS = "digest, media_type, artifact_type, subject_digest, content, sealed, pushed_at,"
            + " last_pulled_at";
    private static final String TAG_TARGET = "SELECT digest FROM tag WHERE repository_id = ? AND name = ?";
    private static final String FIND = "SELECT " + COLUMNS + " FROM manifest WHERE repository_id = ? AND digest = ?";
    private static final String REFERRERS = "SELECT " + COLUMNS + " FROM manifest"
            + " WHERE repository_id = ? AND subject_digest = ? ORDER BY digest";
    private static final String PRESENT_AMONG = "SELECT digest FROM manifest WHERE repository_id = ? AND digest IN (%s)";
    private static final String DELETE_TAGS = "DELETE FROM tag WHERE repository_id = ? AND digest = ?";
    private static final String DELETE_REFS = "DELETE FROM manifest_ref WHERE repository_id = ? AND parent_digest = ?";
    private static final String DELETE = "DELETE FROM manifest WHERE repository_id = ? AND digest = ?";
    /** A push of a manifest whose stored bytes were damaged restores them (the digest fixes what they must be). */
    private static final String RESTORE = "UPDATE manifest SET content = ?, size = ?"
            + " WHERE repository_id = ? AND digest = ? AND content <> ?";
    private static final String RESTORE_SEALED = "UPDATE manifest SET content = ?, size = ?, sealed = ?"
            + " WHERE repository_id = ? AND digest = ?";
    private static final String ENCRYPTION = "SELECT encryption_type, kms_key FROM repository WHERE id = ?";

    private final Jdbc jdbc;
    /** Set once at start-up, when the blob stores (and their keys) are open. */
    private volatile ManifestSealing sealing = ManifestSealing.NONE;
    private final String insertManifest;
    private final String insertRef;
    private final String upsertTag;

    JdbcManifests(Jdbc jdbc, SqlDialect dialect) {
        this.jdbc = jdbc;
        this.insertManifest = dialect.insertIgnore("manifest", List.of("repository_id", "digest", "media_type",
                "artifact_type", "subject_digest", "size", "content", "sealed", "pushed_at"), List.of("repository_id", "digest"));
        this.insertRef = dialect.insertIgnore("manifest_ref", List.of("repository_id", "parent_digest", "child_digest", "kind"),
                List.of("repository_id", "parent_digest", "child_digest"));
        this.upsertTag = dialect.upsert("tag", List.of("repository_id", "name", "digest", "updated_at"),
                List.of("repository_id", "name"), List.of("digest", "updated_at"));
    }

    /**
     * Insert-if-absent keeps the first push time of a manifest pushed again; its references are
     * written only with the row itself, since the same digest always has the same references. Bytes that
     * differ from the pushed ones were damaged and are restored.
     * The artifact type stored is the effective one, which is what the referrers API reports.
     * The tag check runs in the write transaction, so a refused move cannot race with another push.
     */
    @Override
    public TagOutcome putManifest(long repositoryId, Manifest m, Tag tag, Instant now, boolean tagMayMove) {
        return jdbc.write("put manifest", c -> {
            if (!jdbc.guard(c, repositoryId)) {
                return TagOutcome.REPOSITORY_UNKNOWN; // deleted meanwhile: an answer, not a key violation
            }
            TagOutcome outcome = tagOutcome(c, repositoryId, m.digest(), tag, tagMayMove);
            if (outcome == TagOutcome.REFUSED) {
                return outcome;
            }
            insert(c, repositoryId, m, now);
            if (tag != null) {
                Jdbc.update(c, upsertTag, repositoryId, tag, m.digest(), now);
            }
            return outcome;
        });
    }

    void sealWith(ManifestSealing sealing) {
        this.sealing = sealing;
    }

    /** A sealed row is restored when its bytes do not open to the pushed ones (a fresh sealing never compares equal). */
    private void insert(Connection c, long repositoryId, Manifest m, Instant now) throws SQLException {
        Digest subject = m.subject() == null ? null : m.subject().digest();
        String domain = domainOf(c, repositoryId);
        byte[] content = domain == null ? m.content() : sealing.seal(domain, m.digest(), m.content());
        int inserted = Jdbc.update(c, insertManifest, repositoryId, m.digest(), m.mediaType(),
                m.effectiveArtifactType(), subject, m.size(), content, domain, now);
        if (inserted > 0) {
            Jdbc.batch(c, insertRef, references(repositoryId, m));
        } else if (domain == null) {
            Jdbc.update(c, RESTORE, m.content(), m.size(), repositoryId, m.digest(), m.content());
        } else if (!Jdbc.queryOne(c, FIND, this::stored, repositoryId, m.digest()).map(StoredManifest::intact).orElse(true)) {
            Jdbc.update(c, RESTORE_SEALED, content, m.size(), domain, repositoryId, m.digest());
        }
    }

    /** The domain sealing the repository's manifests (its blobs' domain), or null: stored plain. */
    private String domainOf(Connection c, long repositoryId) throws SQLException {
        if (sealing == ManifestSealing.NONE) {
            return null;
        }
        return Jdbc.queryOne(c, ENCRYPTION, rs -> new Encryption(Encryption.Type.valueOf(rs.getString("encryption_type")),
                rs.getString("kms_key")), repositoryId).map(sealing::domainOf).orElse(null);
    }

    private static TagOutcome tagOutcome(Connection c, long repositoryId, Digest digest, Tag tag, boolean mayMove)
            throws SQLException {
        if (tag == null) {
            return TagOutcome.NONE;
        }
        Optional<String> current = Jdbc.queryOne(c, TAG_TARGET, rs -> rs.getString("digest"), repositoryId, tag);
        if (current.isEmpty()) {
            return TagOutcome.CREATED;
        }
        if (current.get().equals(digest.toString())) {
            return TagOutcome.UNCHANGED;
        }
        return mayMove ? TagOutcome.MOVED : TagOutcome.REFUSED;
    }

    @Override
    public Optional<StoredManifest> findManifest(long repositoryId, Digest digest) {
        return jdbc.read("find manifest", repositoryId, c -> Jdbc.queryOne(c, FIND, this::stored, repositoryId, digest));
    }

    /** Children first, so that the foreign keys hold at every step on every database. */
    @Override
    public boolean deleteManifest(long repositoryId, Digest digest) {
        return jdbc.write("delete manifest", c -> {
            Jdbc.update(c, DELETE_TAGS, repositoryId, digest);
            Jdbc.update(c, DELETE_REFS, repositoryId, digest);
            return Jdbc.update(c, DELETE, repositoryId, digest) > 0;
        });
    }

    @Override
    public List<StoredManifest> referrers(long repositoryId, Digest subject) {
        return jdbc.read("referrers", repositoryId, c -> Jdbc.query(c, REFERRERS, this::stored, repositoryId, subject));
    }

    @Override
    public Set<Digest> missingManifests(long repositoryId, Collection<Digest> digests) {
        return jdbc.read("missing manifests", repositoryId, c -> JdbcBlobs.missing(c, PRESENT_AMONG, repositoryId, digests));
    }

    private static List<Object[]> references(long repositoryId, Manifest m) {
        List<Object[]> rows = new ArrayList<>();
        for (Descriptor d : m.blobs()) {
            rows.add(new Object[] {repositoryId, m.digest(), d.digest(), "blob"});
        }
        for (Descriptor d : m.manifests()) {
            rows.add(new Object[] {repositoryId, m.digest(), d.digest(), "manifest"});
        }
        return rows;
    }

    /** A row of {@link #COLUMNS}, its content opened; one that does not open reads as damaged (not intact). */
    StoredManifest stored(ResultSet rs) throws SQLException {
        long pulled = rs.getLong("last_pulled_at");
        Instant lastPulled = rs.wasNull() ? null : Instant.ofEpochMilli(pulled);
        Digest digest = Digest.parse(rs.getString("digest"));
        return new StoredManifest(digest, rs.getString("media_type"), rs.getString("artifact_type"),
                Jdbc.digestOrNull(rs, "subject_digest"), content(rs, digest), Jdbc.instant(rs, "pushed_at"), lastPulled);
    }

    private byte[] content(ResultSet rs, Digest digest) throws SQLException {
        byte[] stored = rs.getBytes("content");
        String domain = rs.getString("sealed");
        return domain == null ? stored : sealing.open(domain, digest, stored).orElse(stored);
    }
}
