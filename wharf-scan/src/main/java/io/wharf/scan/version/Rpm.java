package io.wharf.scan.version;

/**
 * rpm's order: {@code [epoch:]version[-release]}, epochs numerically (missing = 0), then rpmvercmp on version and
 * release: alphanumeric segments split at any other character; {@code ~} sorts before everything (even the end),
 * {@code ^} after the end but before anything else; digit segments numerically and above letter segments.
 */
final class Rpm implements VersionScheme {
    static final Rpm INSTANCE = new Rpm();

    @Override
    public String name() {
        return "rpm";
    }

    @Override
    public boolean valid(String v) {
        return v != null && !v.isBlank() && v.chars().allMatch(c -> c > ' ' && c < 127);
    }

    @Override
    public int compare(String a, String b) {
        String[] x = evr(a);
        String[] y = evr(b);
        int c = Long.compare(epoch(x[0]), epoch(y[0]));
        if (c == 0) {
            c = vercmp(x[1], y[1]);
        }
        if (c == 0 && !x[2].isEmpty() && !y[2].isEmpty()) {
            c = vercmp(x[2], y[2]);
        }
        return c;
    }

    private static String[] evr(String v) {
        String s = v.strip();
        String epoch = "";
        int colon = s.indexOf(':');
        if (colon >= 0) {
            epoch = s.substring(0, colon);
            s = s.substring(colon + 1);
        }
        int dash = s.lastIndexOf('-');
        return dash < 0 ? new String[] {epoch, s, ""} : new String[] {epoch, s.substring(0, dash), s.substring(dash + 1)};
    }

    private static long epoch(String e) {
        try {
            return e.isEmpty() ? 0 : Long.parseLong(e);
        } catch (NumberFormatException x) {
            return 0;
        }
    }

    static int vercmp(String a, String b) {
        if (a.equals(b)) {
            return 0;
        }
        int i = 0;
        int j = 0;
        while (i < a.length() || j < b.length()) {
            i = skip(a, i);
            j = skip(b, j);
            int special = special(a, i, b, j, '~', -1);
            if (special == 2) {
                special = special(a, i, b, j, '^', -1);
            }
            if (special != 2) {
                if (special != 0) {
                    return special;
                }
                i++;
                j++;
                continue;
            }
            if (i >= a.length() || j >= b.length()) {
                break;
            }
            boolean numeric = Character.isDigit(a.charAt(i));
            int ie = end(a, i, numeric);
            int je = end(b, j, numeric);
            if (je == j) {
                return numeric ? 1 : -1; // a digit segment beats a letter one
            }
            int c = numeric ? numbers(a.substring(i, ie), b.substring(j, je)) : a.substring(i, ie).compareTo(b.substring(j, je));
            if (c != 0) {
                return Integer.signum(c);
            }
            i = ie;
            j = je;
        }
        return Integer.compare(i < a.length() ? 1 : 0, j < b.length() ? 1 : 0);
    }

    /**
     * Handles {@code mark} (~ or ^) at the current positions: 0 when both have it (consume it), -1/1 as it decides
     * the order, 2 when neither has it. For ^, the side that ended first loses only to the other's ^ (rpm's rule):
     * {@code 1.0^git1 > 1.0}, {@code 1.0^git1 < 1.0.1}.
     */
    private static int special(String a, int i, String b, int j, char mark, int sign) {
        boolean x = i < a.length() && a.charAt(i) == mark;
        boolean y = j < b.length() && b.charAt(j) == mark;
        if (x && y) {
            return 0;
        }
        if (x) {
            return mark == '^' && j >= b.length() ? 1 : sign;
        }
        if (y) {
            return mark == '^' && i >= a.length() ? -1 : -sign;
        }
        return 2;
    }

    private static int skip(String s, int i) {
        while (i < s.length() && !alnum(s.charAt(i)) && s.charAt(i) != '~' && s.charAt(i) != '^') {
            i++;
        }
        return i;
    }

    private static int end(String s, int i, boolean numeric) {
        while (i < s.length() && isAscii(s.charAt(i))
                && (numeric ? Character.isDigit(s.charAt(i)) : Character.isLetter(s.charAt(i)))) {
            i++;
        }
        return i;
    }

    private static boolean alnum(char c) {
        return isAscii(c) && Character.isLetterOrDigit(c);
    }

    private static boolean isAscii(char c) {
        return c < 128;
    }

    static int numbers(String a, String b) {
        String x = a.replaceFirst("^0+", "");
        String y = b.replaceFirst("^0+", "");
        return x.length() != y.length() ? Integer.compare(x.length(), y.length()) : x.compareTo(y);
    }
}
