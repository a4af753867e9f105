package io.wharf.scan.version;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PEP 440: {@code [N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local]} with the spec's normalizations (alternative
 * spellings, separators, implicit numbers). Order: epoch, release (trailing zeros ignored), then a dev release
 * of a final before its pre-releases, pre-releases before the final, post-releases after it, dev releases
 * before what they lead to; a local version sorts after the same public version. Unparseable strings sort
 * before every valid version, among themselves as strings.
 */
final class Pep440 implements VersionScheme {
    static final Pep440 INSTANCE = new Pep440();
    private static final Pattern VERSION = Pattern.compile(
            "v?(?:(?<epoch>[0-9]+)!)?(?<release>[0-9]+(?:\\.[0-9]+)*)"
                    + "(?:[-_.]?(?<pre>a|b|c|rc|alpha|beta|pre|preview)[-_.]?(?<preN>[0-9]+)?)?"
                    + "(?:-(?<postImplicit>[0-9]+)|[-_.]?(?:post|rev|r)[-_.]?(?<postN>[0-9]+)?(?<post>))?"
                    + "(?:[-_.]?dev[-_.]?(?<devN>[0-9]+)?(?<dev>))?"
                    + "(?:\\+(?<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?", Pattern.CASE_INSENSITIVE);

    /** -1 stands for "none" where none sorts first, Long.MAX_VALUE where it sorts last. */
    private record Key(long epoch, List<Long> release, int preKind, long pre, long post, long dev, List<String> local) {
    }

    @Override
    public String name() {
        return "pep440";
    }

    @Override
    public boolean valid(String v) {
        return v != null && VERSION.matcher(v.strip()).matches();
    }

    @Override
    public int compare(String a, String b) {
        Key x = key(a);
        Key y = key(b);
        if (x == null || y == null) {
            return x == y ? Integer.signum(a.compareTo(b)) : x == null ? -1 : 1;
        }
        int c = Long.compare(x.epoch, y.epoch);
        c = c != 0 ? c : release(x.release, y.release);
        c = c != 0 ? c : Integer.compare(x.preKind, y.preKind);
        c = c != 0 ? c : Long.compare(x.pre, y.pre);
        c = c != 0 ? c : Long.compare(x.post, y.post);
        c = c != 0 ? c : Long.compare(x.dev, y.dev);
        return c != 0 ? c : local(x.local, y.local);
    }

    private static Key key(String v) {
        Matcher m = VERSION.matcher(v.strip());
        if (!m.matches()) {
            return null;
        }
        try {
            return key(m);
        } catch (NumberFormatException e) {
            return null; // a number beyond a long
        }
    }

    private static Key key(Matcher m) {
        long epoch = m.group("epoch") == null ? 0 : Long.parseLong(m.group("epoch"));
        List<Long> release = new ArrayList<>();
        for (String part : m.group("release").split("\\.")) {
            release.add(Long.parseLong(part));
        }
        boolean hasPost = m.group("postImplicit") != null || m.group("post") != null;
        long post = !hasPost ? -1 : number(m.group("postImplicit") != null ? m.group("postImplicit") : m.group("postN"));
        long dev = m.group("dev") == null ? Long.MAX_VALUE : number(m.group("devN"));
        int preKind = preKind(m.group("pre"));
        long pre = m.group("pre") == null ? 0 : number(m.group("preN"));
        if (m.group("pre") == null && !hasPost && m.group("dev") != null) {
            preKind = -1; // 1.0.dev1 sorts before 1.0a1
        }
        List<String> local = m.group("local") == null ? List.of()
                : List.of(m.group("local").toLowerCase(Locale.ROOT).split("[-_.]"));
        return new Key(epoch, release, preKind, pre, post, dev, local);
    }

    private static long number(String s) {
        return s == null || s.isEmpty() ? 0 : Long.parseLong(s);
    }

    /** a=0, b=1, rc=2; a final release (no pre) 3. */
    private static int preKind(String pre) {
        if (pre == null) {
            return 3;
        }
        return switch (pre.toLowerCase(Locale.ROOT)) {
            case "a", "alpha" -> 0;
            case "b", "beta" -> 1;
            default -> 2;
        };
    }

    private static int release(List<Long> a, List<Long> b) {
        for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
            int c = Long.compare(i < a.size() ? a.get(i) : 0, i < b.size() ? b.get(i) : 0);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    /** No local version first; numeric segments above alphanumeric ones; a longer local version wins a tie. */
    private static int local(List<String> a, List<String> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            String s = a.get(i);
            String t = b.get(i);
            boolean sn = s.chars().allMatch(Character::isDigit);
            boolean tn = t.chars().allMatch(Character::isDigit);
            int c = sn && tn ? Rpm.numbers(s, t) : sn != tn ? (sn ? 1 : -1) : s.compareTo(t);
            if (c != 0) {
                return Integer.signum(c);
            }
        }
        return Integer.compare(a.size(), b.size());
    }
}
