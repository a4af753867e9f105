package io.wharf.scan.version;

import org.apache.maven.artifact.versioning.ComparableVersion;

/** Maven's order, by maven-artifact's {@link ComparableVersion} (the "Version Order Specification"). */
final class Maven implements VersionScheme {
    static final Maven INSTANCE = new Maven();

    @Override
    public String name() {
        return "maven";
    }

    @Override
    public boolean valid(String v) {
        return v != null && !v.isBlank() && v.length() <= 256;
    }

    @Override
    public int compare(String a, String b) {
        return Integer.signum(new ComparableVersion(a).compareTo(new ComparableVersion(b)));
    }
}
