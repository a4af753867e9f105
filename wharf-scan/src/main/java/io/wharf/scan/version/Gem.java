package io.wharf.scan.version;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * RubyGems' order (Gem::Version): segments are digit runs (numbers) and letter runs (strings); trailing zero
 * numbers do not count; compared in turn with missing segments as 0, a string segment (a prerelease such as
 * {@code .pre}, {@code .rc1}) below any number, strings among themselves as strings.
 */
final class Gem implements VersionScheme {
    static final Gem INSTANCE = new Gem();
    private static final Pattern VALID = Pattern.compile("[0-9]+(\\.[0-9a-zA-Z]+)*(-[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?");
    private static final Pattern SEGMENT = Pattern.compile("[0-9]+|[a-zA-Z]+");

    @Override
    public String name() {
        return "gem";
    }

    @Override
    public boolean valid(String v) {
        return v != null && VALID.matcher(v.strip()).matches();
    }

    @Override
    public int compare(String a, String b) {
        List<String> x = segments(a);
        List<String> y = segments(b);
        for (int i = 0; i < Math.max(x.size(), y.size()); i++) {
            String s = i < x.size() ? x.get(i) : "0";
            String t = i < y.size() ? y.get(i) : "0";
            int c = segment(s, t);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    static int segment(String s, String t) {
        boolean sn = Character.isDigit(s.charAt(0));
        boolean tn = Character.isDigit(t.charAt(0));
        if (sn && tn) {
            return Integer.signum(Rpm.numbers(s, t));
        }
        if (sn != tn) {
            return sn ? 1 : -1;
        }
        return Integer.signum(s.compareTo(t));
    }

    /** The segments, a {@code -} read as {@code .pre.} (RubyGems does so), trailing zeros dropped. */
    private static List<String> segments(String v) {
        List<String> out = new ArrayList<>();
        Matcher m = SEGMENT.matcher(v.strip().replace("-", ".pre."));
        while (m.find()) {
            out.add(m.group());
        }
        while (out.size() > 1 && out.getLast().chars().allMatch(c -> c == '0')) {
            out.removeLast();
        }
        return out;
    }
}
