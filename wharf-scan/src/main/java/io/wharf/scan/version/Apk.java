package io.wharf.scan.version;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Alpine's order (apk-tools): {@code number{.number}[letter]{_suffix[number]}[~hash][-rN]}. Components compare in
 * turn; where one version goes on and the other does not, the longer is newer unless what follows is a
 * pre-release suffix ({@code _alpha < _beta < _pre < _rc < (none) < _cvs < _svn < _git < _hg < _p}). A string apk
 * would reject compares by its valid start, then by the rest as a plain string.
 */
final class Apk implements VersionScheme {
    static final Apk INSTANCE = new Apk();
    private static final Pattern VALID = Pattern.compile(
            "[0-9]+(\\.[0-9]+)*[a-z]?(_(alpha|beta|pre|rc|cvs|svn|git|hg|p)[0-9]*)*(~[0-9a-f]+)?(-r[0-9]+)?");
    private static final Pattern TOKEN = Pattern.compile(
            "(?<digit>\\.?[0-9]+)|(?<letter>[a-z])|_(?<suffix>alpha|beta|pre|rc|cvs|svn|git|hg|p)(?<suffixNo>[0-9]*)"
                    + "|~(?<hash>[0-9a-f]+)|-r(?<rev>[0-9]+)");
    private static final Map<String, Integer> SUFFIX = Map.of("alpha", -4, "beta", -3, "pre", -2, "rc", -1,
            "cvs", 1, "svn", 2, "git", 3, "hg", 4, "p", 5);

    /** Token kinds in apk's order: where two versions part, the one at the later kind is older. */
    private enum Kind { DIGIT, LETTER, SUFFIX, SUFFIX_NO, HASH, REVISION, END }

    private record Token(Kind kind, String text, boolean first) {
    }

    @Override
    public String name() {
        return "apk";
    }

    @Override
    public boolean valid(String v) {
        return v != null && VALID.matcher(v).matches();
    }

    /**
     * The valid starts in apk's order, then what follows them as strings: one order over any strings, transitive
     * also when valid and invalid versions are mixed (deciding some pairs by apk's order and others by string order
     * was not; found by fuzzing).
     */
    @Override
    public int compare(String a, String b) {
        String x = validPrefix(a);
        String y = validPrefix(b);
        int c = order(tokens(x), tokens(y));
        return c != 0 ? c : Integer.signum(a.substring(x.length()).compareTo(b.substring(y.length())));
    }

    private static int order(List<Token> x, List<Token> y) {
        for (int i = 0; ; i++) {
            Token s = x.get(i);
            Token t = y.get(i);
            if (s.kind != t.kind) {
                return parted(s, t);
            }
            int c = same(s, t);
            if (c != 0 || s.kind == Kind.END) {
                return c;
            }
        }
    }

    /**
     * The longest start of {@code v} that is a valid version: a component that differs before the invalid part
     * still decides ({@code 23_foo > 4_beta}), as in apk-tools; past it, invalid strings compare as strings.
     */
    private static String validPrefix(String v) {
        Matcher m = VALID.matcher(v);
        return m.lookingAt() ? v.substring(0, m.end()) : "";
    }

    private static int parted(Token s, Token t) {
        if (s.kind == Kind.SUFFIX && SUFFIX.get(s.text) < 0) {
            return -1;
        }
        if (t.kind == Kind.SUFFIX && SUFFIX.get(t.text) < 0) {
            return 1;
        }
        return s.kind.compareTo(t.kind) > 0 ? -1 : 1;
    }

    private static int same(Token s, Token t) {
        return switch (s.kind) {
            case DIGIT -> digits(s, t);
            case LETTER, HASH -> Integer.signum(s.text.compareTo(t.text));
            case SUFFIX -> Integer.compare(SUFFIX.get(s.text), SUFFIX.get(t.text));
            case SUFFIX_NO, REVISION -> Rpm.numbers(s.text.isEmpty() ? "0" : s.text, t.text.isEmpty() ? "0" : t.text);
            case END -> 0;
        };
    }

    /** After the first component, a leading zero makes a component a decimal fraction: compared as a string. */
    private static int digits(Token s, Token t) {
        if (!s.first && (s.text.startsWith("0") || t.text.startsWith("0"))) {
            return Integer.signum(s.text.compareTo(t.text));
        }
        return Integer.signum(Rpm.numbers(s.text, t.text));
    }

    private static List<Token> tokens(String v) {
        List<Token> out = new ArrayList<>();
        Matcher m = TOKEN.matcher(v);
        while (m.find()) {
            if (m.group("digit") != null) {
                String d = m.group("digit");
                out.add(new Token(Kind.DIGIT, d.startsWith(".") ? d.substring(1) : d, out.isEmpty()));
            } else if (m.group("letter") != null) {
                out.add(new Token(Kind.LETTER, m.group("letter"), false));
            } else if (m.group("suffix") != null) {
                out.add(new Token(Kind.SUFFIX, m.group("suffix"), false));
                out.add(new Token(Kind.SUFFIX_NO, m.group("suffixNo"), false));
            } else if (m.group("hash") != null) {
                out.add(new Token(Kind.HASH, m.group("hash"), false));
            } else {
                out.add(new Token(Kind.REVISION, m.group("rev"), false));
            }
        }
        out.add(new Token(Kind.END, "", false));
        return out;
    }
}
