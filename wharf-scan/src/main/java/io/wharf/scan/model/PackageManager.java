package io.wharf.scan.model;

/**
 * Where a package was found: an operating system's package database or a language ecosystem's metadata.
 * Carries the package-URL type and the name ECR's enhanced findings give it ({@code packageManager}).
 */
public enum PackageManager {
    DPKG("deb", "OS", true),
    APK("apk", "OS", true),
    RPM("rpm", "OS", true),
    NPM("npm", "NODEPKG", false),
    MAVEN("maven", "JAR", false),
    PYPI("pypi", "PYTHONPKG", false),
    GO("golang", "GOBINARY", false),
    CARGO("cargo", "CARGO", false),
    GEM("gem", "GEMSPEC", false);

    private final String purlType;
    private final String ecrName;
    private final boolean os;

    PackageManager(String purlType, String ecrName, boolean os) {
        this.purlType = purlType;
        this.ecrName = ecrName;
        this.os = os;
    }

    public String purlType() {
        return purlType;
    }

    /** The value of ECR's {@code vulnerablePackages[].packageManager}. */
    public String ecrName() {
        return ecrName;
    }

    /** OS packages are what basic scanning covers; enhanced scanning covers all. */
    public boolean os() {
        return os;
    }
}
