package io.wharf.scan.model;

import java.util.Objects;

/**
 * One package as a cataloger found it in one file of a layer.
 *
 * @param name          the ecosystem's own name: dpkg/apk/rpm binary package, npm name (with scope), Maven
 *                      {@code groupId:artifactId}, Python project name as written, Go module path (or
 *                      {@code stdlib}), crate, gem
 * @param version       the full installed version as the ecosystem writes it (dpkg {@code [epoch:]upstream[-revision]},
 *                      rpm {@code [epoch:]version-release}, apk {@code 1.2.3-r4}, Go without the leading {@code v})
 * @param sourceName    the source package (dpkg {@code Source:}, apk {@code o:}, rpm from {@code SOURCERPM});
 *                      null when the ecosystem has none; equal to {@code name} when the database names none
 * @param sourceVersion the source package's version (dpkg {@code Source: x (v)}); null when the same as {@code version}
 * @param arch          architecture as recorded, or null
 * @param license       licence as recorded, or null
 * @param filePath      the file the package was read from, relative to the image root without a leading slash
 *                      (e.g. {@code var/lib/dpkg/status}, {@code app/lib/x.jar})
 */
public record Pkg(PackageManager manager, String name, String version, String sourceName, String sourceVersion,
                  String arch, String license, String filePath) {

    public Pkg {
        Objects.requireNonNull(manager, "manager");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(filePath, "filePath");
    }

    /** The identity used to merge layers and to find a package's first layer: manager, name, version. */
    public String key() {
        return manager + "|" + name + "|" + version;
    }
}
