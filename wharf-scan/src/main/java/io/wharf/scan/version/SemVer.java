package io.wharf.scan.version;

import java.util.regex.Pattern;

/**
 * SemVer 2.0: {@code MAJOR.MINOR.PATCH[-prerelease][+build]}, build metadata ignored; a version with a prerelease
 * sorts before the same version without; prerelease identifiers compare numerically when numeric, as ASCII
 * otherwise, numeric below alphanumeric, a shorter list first. A leading {@code v} (Go) is stripped; missing
 * minor/patch count as 0 so that loose versions still order sensibly.
 */
final class SemVer implements VersionScheme {
    static final SemVer INSTANCE = new SemVer();
    private static final Pattern VALID = Pattern.compile(
            "v?(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)(-[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?(\\+[0-9A-Za-z.-]+)?");

    @Override
    public String name() {
        return "semver";
    }

    @Override
    public boolean valid(String v) {
        return v != null && VALID.matcher(v).matches();
    }

    @Override
    public int compare(String a, String b) {
        String x = strip(a);
        String y = strip(b);
        int xd = x.indexOf('-');
        int yd = y.indexOf('-');
        String xCore = xd < 0 ? x : x.substring(0, xd);
        String yCore = yd < 0 ? y : y.substring(0, yd);
        int c = identifiers(xCore.split("\\.", -1), yCore.split("\\.", -1), true);
        if (c != 0 || (xd < 0 && yd < 0)) {
            return c;
        }
        if (xd < 0 || yd < 0) {
            return xd < 0 ? 1 : -1;
        }
        return identifiers(x.substring(xd + 1).split("\\.", -1), y.substring(yd + 1).split("\\.", -1), false);
    }

    static String strip(String v) {
        String s = v.strip();
        if (s.startsWith("v") || s.startsWith("V")) {
            s = s.substring(1);
        }
        int plus = s.indexOf('+');
        return plus < 0 ? s : s.substring(0, plus);
    }

    /** {@code core}: compare the numeric core, missing parts as 0. */
    private static int identifiers(String[] a, String[] b, boolean core) {
        int n = core ? Math.max(a.length, b.length) : Math.min(a.length, b.length);
        for (int i = 0; i < n; i++) {
            String s = i < a.length ? a[i] : "0";
            String t = i < b.length ? b[i] : "0";
            int c = identifier(s, t);
            if (c != 0) {
                return c;
            }
        }
        return core ? 0 : Integer.compare(a.length, b.length);
    }

    private static int identifier(String s, String t) {
        boolean sn = numeric(s);
        boolean tn = numeric(t);
        if (sn && tn) {
            return Integer.signum(Rpm.numbers(s, t));
        }
        if (sn != tn) {
            return sn ? -1 : 1;
        }
        return Integer.signum(s.compareTo(t));
    }

    private static boolean numeric(String s) {
        return !s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9');
    }
}
