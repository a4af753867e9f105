package io.wharf.scan.version;

import java.util.regex.Pattern;

/**
 * Debian's order (deb-version(7)): {@code [epoch:]upstream[-revision]}; epochs numerically, then upstream and
 * revision by dpkg's alternation of non-digit runs (letters before non-letters, {@code ~} before everything,
 * even the end) and digit runs (numerically).
 */
final class Dpkg implements VersionScheme {
    static final Dpkg INSTANCE = new Dpkg();
    private static final Pattern VALID = Pattern.compile("([0-9]+:)?[0-9][A-Za-z0-9.+~:-]*");

    private record Parts(long epoch, String upstream, String revision) {
    }

    @Override
    public String name() {
        return "dpkg";
    }

    @Override
    public boolean valid(String v) {
        if (v == null || !VALID.matcher(v).matches()) {
            return false;
        }
        Parts p = parse(v);
        return !p.upstream.isEmpty() && Character.isDigit(p.upstream.charAt(0));
    }

    static Parts parse(String v) {
        String s = v.strip();
        long epoch = 0;
        int colon = s.indexOf(':');
        if (colon > 0 && s.substring(0, colon).chars().allMatch(Character::isDigit) && colon <= 9) {
            epoch = Long.parseLong(s.substring(0, colon));
            s = s.substring(colon + 1);
        }
        int dash = s.lastIndexOf('-');
        return dash < 0 ? new Parts(epoch, s, "") : new Parts(epoch, s.substring(0, dash), s.substring(dash + 1));
    }

    @Override
    public int compare(String a, String b) {
        Parts x = parse(a);
        Parts y = parse(b);
        int c = Long.compare(x.epoch, y.epoch);
        if (c == 0) {
            c = fragment(x.upstream, y.upstream);
        }
        return c != 0 ? c : fragment(x.revision, y.revision);
    }

    /** dpkg's verrevcmp over one part. */
    static int fragment(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() || j < b.length()) {
            int firstDiff = 0;
            while ((i < a.length() && !isDigit(a, i)) || (j < b.length() && !isDigit(b, j))) {
                int ac = order(a, i);
                int bc = order(b, j);
                if (ac != bc) {
                    return Integer.compare(ac, bc);
                }
                i++;
                j++;
            }
            while (i < a.length() && a.charAt(i) == '0') {
                i++;
            }
            while (j < b.length() && b.charAt(j) == '0') {
                j++;
            }
            while (i < a.length() && isDigit(a, i) && j < b.length() && isDigit(b, j)) {
                if (firstDiff == 0) {
                    firstDiff = a.charAt(i) - b.charAt(j);
                }
                i++;
                j++;
            }
            if (i < a.length() && isDigit(a, i)) {
                return 1;
            }
            if (j < b.length() && isDigit(b, j)) {
                return -1;
            }
            if (firstDiff != 0) {
                return Integer.signum(firstDiff);
            }
        }
        return 0;
    }

    private static boolean isDigit(String s, int i) {
        char c = s.charAt(i);
        return c >= '0' && c <= '9';
    }

    /** The weight of a character in a non-digit run: ~ lowest, then the end (or a digit), letters, the rest. */
    private static int order(String s, int i) {
        if (i >= s.length() || isDigit(s, i)) {
            return 0;
        }
        char c = s.charAt(i);
        if (c == '~') {
            return -1;
        }
        return Character.isLetter(c) && c < 128 ? c : c + 256;
    }
}
