package io.wharf.scan.catalog.os;

import io.wharf.scan.layer.Cataloger;
import io.wharf.scan.layer.LayerEntry;
import io.wharf.scan.model.PackageManager;
import io.wharf.scan.model.Pkg;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RPM packages from the SQLite rpm database ({@code rpmdb.sqlite}, rpm ≥ 4.16: Fedora, RHEL 9+, …). The
 * file is copied to a temporary file (the reader has already bounded its size) and opened read-only as an
 * immutable database; each row of {@code Packages(hnum, blob)} is an rpm header. BerkeleyDB ({@code Packages})
 * and NDB ({@code Packages.db}) databases are not read.
 */
public final class RpmCataloger implements Cataloger {

    private static final Logger LOG = LoggerFactory.getLogger(RpmCataloger.class);
    static final Set<String> PATHS = Set.of("var/lib/rpm/rpmdb.sqlite", "usr/lib/sysimage/rpm/rpmdb.sqlite",
            "usr/share/rpm/rpmdb.sqlite");

    @Override
    public String name() {
        return "rpm-sqlite";
    }

    @Override
    public boolean wants(LayerEntry entry) {
        return PATHS.contains(entry.path());
    }

    @Override
    public List<Pkg> read(LayerEntry entry, InputStream content) throws IOException {
        Path file = Files.createTempFile("wharf-rpmdb", ".sqlite");
        try {
            Files.copy(content, file, StandardCopyOption.REPLACE_EXISTING);
            return packages(file, entry.path());
        } catch (SQLException e) {
            LOG.debug("not a readable rpm database {}: {}", entry.path(), e.toString());
            return List.of();
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static List<Pkg> packages(Path db, String path) throws SQLException {
        Properties props = new Properties();
        props.setProperty("open_mode", "1"); // SQLITE_OPEN_READONLY
        String url = "jdbc:sqlite:file:" + db.toAbsolutePath() + "?immutable=1";
        List<Pkg> pkgs = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(url, props);
             Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA trusted_schema = OFF");
            try (ResultSet rows = statement.executeQuery("SELECT blob FROM Packages ORDER BY hnum")) {
                while (rows.next()) {
                    Pkg pkg = pkg(RpmHeader.parse(rows.getBytes(1)), path);
                    if (pkg != null) {
                        pkgs.add(pkg);
                    }
                }
            }
        }
        return pkgs;
    }

    /** {@code [epoch:]version-release}; the source name from {@code SOURCERPM} ({@code name-ver-rel.src.rpm}). */
    static Pkg pkg(RpmHeader header, String path) {
        if (header == null) {
            return null;
        }
        String name = header.string(RpmHeader.NAME);
        String version = header.string(RpmHeader.VERSION);
        String release = header.string(RpmHeader.RELEASE);
        if (name == null || version == null || name.equals("gpg-pubkey")) {
            return null;
        }
        Integer epoch = header.int32(RpmHeader.EPOCH);
        String prefix = epoch == null || epoch == 0 ? "" : epoch + ":";
        String full = prefix + version + (release == null ? "" : "-" + release);
        String[] source = sourceRpm(header.string(RpmHeader.SOURCERPM));
        String sourceName = source == null ? name : source[0];
        String sourceVersion = source == null || (prefix + source[1]).equals(full) ? null : prefix + source[1];
        return new Pkg(PackageManager.RPM, name, full, sourceName, sourceVersion,
                header.string(RpmHeader.ARCH), header.string(RpmHeader.LICENSE), path);
    }

    /** {@code name-version-release.src.rpm} → {name, version-release}; null when not of that shape. */
    static String[] sourceRpm(String sourceRpm) {
        if (sourceRpm == null || !sourceRpm.endsWith(".rpm")) {
            return null;
        }
        String base = sourceRpm.substring(0, sourceRpm.length() - 4);
        int archDot = base.lastIndexOf('.');
        base = archDot < 0 ? base : base.substring(0, archDot);
        int releaseDash = base.lastIndexOf('-');
        int versionDash = releaseDash <= 0 ? -1 : base.lastIndexOf('-', releaseDash - 1);
        if (versionDash <= 0) {
            return null;
        }
        return new String[] {base.substring(0, versionDash), base.substring(versionDash + 1)};
    }
}
