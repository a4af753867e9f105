package io.wharf.scan.version;

import java.util.Locale;

/** The version order of each OSV ecosystem, and the schemes by name. */
public final class VersionSchemes {
    private VersionSchemes() {
    }

    public static VersionScheme dpkg() {
        return Dpkg.INSTANCE;
    }

    public static VersionScheme apk() {
        return Apk.INSTANCE;
    }

    public static VersionScheme rpm() {
        return Rpm.INSTANCE;
    }

    public static VersionScheme pep440() {
        return Pep440.INSTANCE;
    }

    public static VersionScheme semver() {
        return SemVer.INSTANCE;
    }

    public static VersionScheme maven() {
        return Maven.INSTANCE;
    }

    public static VersionScheme gem() {
        return Gem.INSTANCE;
    }

    public static VersionScheme generic() {
        return Generic.INSTANCE;
    }

    /**
     * The order of an OSV ecosystem as OSV writes it (the part before the first {@code :} decides:
     * {@code Debian:12} is dpkg, {@code Alpine:v3.19} apk).
     */
    public static VersionScheme forEcosystem(String ecosystem) {
        String base = ecosystem == null ? "" : ecosystem.split(":", 2)[0].strip().toLowerCase(Locale.ROOT);
        return switch (base) {
            case "debian", "ubuntu" -> dpkg();
            case "alpine", "wolfi", "chainguard", "minimos" -> apk();
            case "red hat", "almalinux", "rocky linux", "suse", "opensuse", "photon os", "azure linux", "mageia",
                 "openeuler", "oracle linux", "amazon linux", "fedora", "centos" -> rpm();
            case "pypi" -> pep440();
            case "npm", "go", "crates.io", "nuget", "hex", "pub", "swifturl" -> semver();
            case "maven" -> maven();
            case "rubygems" -> gem();
            default -> generic();
        };
    }
}
