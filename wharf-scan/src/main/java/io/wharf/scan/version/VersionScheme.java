package io.wharf.scan.version;

import java.util.Comparator;

/**
 * An ecosystem's version order. {@link #compare} is total over any strings (an invalid version still compares,
 * by the scheme's best reading of it), so that a malformed advisory or package can never throw; {@link #valid}
 * says whether the ecosystem would accept the string.
 */
public interface VersionScheme extends Comparator<String> {

    /** Negative, zero or positive as {@code a} sorts before, with or after {@code b}. */
    @Override
    int compare(String a, String b);

    boolean valid(String version);

    /** The scheme's name, for logs and docs (dpkg, apk, rpm, pep440, semver, maven, gem, generic). */
    String name();
}
