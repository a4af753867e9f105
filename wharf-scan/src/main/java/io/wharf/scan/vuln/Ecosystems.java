package io.wharf.scan.vuln;

import io.wharf.core.spi.AdvisoryIndex.AdvisoryKey;
import io.wharf.scan.model.OsRelease;
import io.wharf.scan.model.PackageManager;
import io.wharf.scan.model.Pkg;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * OSV ecosystem strings and package names: which (ecosystem, name) an installed package is looked up under,
 * and how names are normalized on both sides (advisories as imported, packages as found) so that they meet.
 */
public final class Ecosystems {
    /** Debian codenames (distro-info-data) for releases that have no VERSION_ID, and for the tracker's feed. */
    public static final Map<String, String> DEBIAN_CODENAMES = Map.of("buster", "10", "bullseye", "11",
            "bookworm", "12", "trixie", "13", "forky", "14");

    private Ecosystems() {
    }

    /** What a package is looked up under, and the version to compare (the source version for Debian). */
    public record Lookup(String ecosystem, String name, String version) {

        public AdvisoryKey key() {
            return new AdvisoryKey(ecosystem, name);
        }
    }

    /** The advisory key of an installed package, or empty when its ecosystem has no OSV data (e.g. unknown OS). */
    public static Optional<Lookup> of(OsRelease os, Pkg pkg) {
        String ecosystem = switch (pkg.manager()) {
            case DPKG, APK, RPM -> os == null ? null : osEcosystem(os, pkg.manager());
            case NPM -> "npm";
            case MAVEN -> "Maven";
            case PYPI -> "PyPI";
            case GO -> "Go";
            case CARGO -> "crates.io";
            case GEM -> "RubyGems";
        };
        if (ecosystem == null) {
            return Optional.empty();
        }
        boolean bySource = pkg.manager() == PackageManager.DPKG || pkg.manager() == PackageManager.APK;
        String name = bySource && pkg.sourceName() != null && !pkg.sourceName().isBlank() ? pkg.sourceName() : pkg.name();
        String version = pkg.manager() == PackageManager.DPKG && pkg.sourceVersion() != null ? pkg.sourceVersion()
                : pkg.version();
        if (pkg.manager() == PackageManager.GO && version.startsWith("v")) {
            version = version.substring(1);
        }
        return Optional.of(new Lookup(ecosystem, normalizeName(ecosystem, name), version));
    }

    /** The release-qualified OSV ecosystem of an OS package, or null when OSV has no data for that OS. */
    static String osEcosystem(OsRelease os, PackageManager manager) {
        String id = os.id() == null ? "" : os.id().toLowerCase(Locale.ROOT);
        String v = os.versionId();
        return switch (id) {
            case "debian" -> debian(os);
            case "ubuntu" -> v == null ? null : "Ubuntu:" + majorMinor(v) + (lts(v) ? ":LTS" : "");
            case "alpine" -> v == null ? null : "Alpine:v" + majorMinor(v);
            case "wolfi" -> "Wolfi";
            case "chainguard" -> "Chainguard";
            case "almalinux" -> v == null ? null : "AlmaLinux:" + major(v);
            case "rocky" -> v == null ? null : "Rocky Linux:" + major(v);
            case "photon" -> v == null ? null : "Photon OS:" + v;
            case "azurelinux" -> v == null ? null : "Azure Linux:" + major(v);
            case "mariner" -> v == null ? null : "Mariner:" + v;
            case "opensuse-leap" -> v == null ? null : "openSUSE:Leap " + v;
            default -> null;
        };
    }

    private static String debian(OsRelease os) {
        if (os.versionId() != null && !os.versionId().isBlank()) {
            return "Debian:" + major(os.versionId());
        }
        String code = os.versionCodename() == null ? null : DEBIAN_CODENAMES.get(os.versionCodename());
        return code == null ? null : "Debian:" + code;
    }

    /** Ubuntu's LTS releases are the April releases of even years. */
    private static boolean lts(String v) {
        String[] p = v.split("\\.");
        return p.length >= 2 && p[1].equals("04") && p[0].chars().allMatch(Character::isDigit)
                && !p[0].isEmpty() && Integer.parseInt(p[0]) % 2 == 0;
    }

    /** Split with limit -1: a version of dots alone ("..") still has a first part (an empty one). */
    private static String major(String v) {
        return v.split("\\.", -1)[0];
    }

    private static String majorMinor(String v) {
        String[] p = v.split("\\.", -1);
        return p.length < 2 ? p[0] : p[0] + "." + p[1];
    }

    /**
     * A package name as both sides store it: PyPI by PEP 503 (lowercase, runs of {@code -_.} as one {@code -});
     * case-insensitive registries (npm, crates.io, NuGet, Packagist, the distributions) lowercased; the rest
     * (Maven, Go, RubyGems) exactly as written.
     */
    public static String normalizeName(String ecosystem, String name) {
        String n = name.strip();
        String base = ecosystem.split(":", 2)[0];
        return switch (base) {
            case "PyPI" -> n.toLowerCase(Locale.ROOT).replaceAll("[-_.]+", "-");
            case "Maven", "Go", "RubyGems" -> n;
            default -> n.toLowerCase(Locale.ROOT);
        };
    }

    /** The ecosystem string as OSV writes it, spaces trimmed (the key must match {@link #of} exactly). */
    public static String normalizeEcosystem(String ecosystem) {
        return ecosystem.strip();
    }
}
