package io.wharf.core.model;

import java.util.Arrays;

/**
 * A glob of literal characters, {@code ?} (one character) and {@code *} (any run, also none), matched
 * against a whole value in O(pattern × value) time whatever the pattern: it tracks the set of pattern
 * positions reachable so far instead of backtracking, so no filter, lifecycle pattern or policy written
 * by a user can make a match take exponential time (a regex or a recursive matcher would).
 *
 * <p>A wildcard may exclude one character (IAM's ArnLike keeps {@code *} inside a colon-separated field).
 */
public final class WildcardPattern {
    private static final int LITERAL = 0;
    private static final int ONE = 1;
    private static final int RUN = 2;
    private static final int NONE = -1;

    /** Patterns shorter than this keep their live positions in the bits of one {@code long}. */
    private static final int SMALL = Long.SIZE - 1;

    private final int[] kinds;
    private final int[] chars; // the literal code point, or the code point a wildcard excludes (NONE)
    private final boolean ignoreCase;
    private final int[] runs; // positions of the runs, ascending
    private final String literal; // the whole pattern when it has no wildcard, else null

    private WildcardPattern(int[] kinds, int[] chars, boolean ignoreCase) {
        this.kinds = kinds;
        this.chars = chars;
        this.ignoreCase = ignoreCase;
        this.runs = java.util.stream.IntStream.range(0, kinds.length).filter(p -> kinds[p] == RUN).toArray();
        boolean wildcards = Arrays.stream(kinds).anyMatch(k -> k != LITERAL);
        this.literal = wildcards ? null : new String(chars, 0, chars.length);
    }

    /** {@code *} matches any run, everything else is literal (ECR tag filters, lifecycle tag patterns). */
    public static WildcardPattern star(String pattern) {
        Builder b = new Builder();
        pattern.codePoints().forEach(c -> {
            if (c == '*') {
                b.run(NONE);
            } else {
                b.literal(c);
            }
        });
        return b.build(false);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Whether the whole value matches. Most policy patterns are short: their live positions are the bits of a
     * {@code long}, so a match allocates nothing; a pattern without wildcards is a plain comparison.
     */
    public boolean matches(CharSequence value) {
        if (literal != null) {
            String v = value.toString();
            return ignoreCase ? literal.equalsIgnoreCase(v) : literal.equals(v);
        }
        return kinds.length < SMALL ? matchesSmall(value) : matchesLarge(value);
    }

    private boolean matchesSmall(CharSequence value) {
        int n = kinds.length;
        long current = skipEmptyRuns(1L);
        for (int i = 0; i < value.length(); ) {
            int c = Character.codePointAt(value, i);
            i += Character.charCount(c);
            long next = 0;
            for (long live = current & ~(1L << n); live != 0; live &= live - 1) {
                int p = Long.numberOfTrailingZeros(live);
                if (kinds[p] == LITERAL ? same(chars[p], c) : chars[p] != c) {
                    next |= 1L << (kinds[p] == RUN ? p : p + 1); // a run stays put to take more
                }
            }
            if (next == 0) {
                return false;
            }
            current = skipEmptyRuns(next);
        }
        return (current >>> n & 1) != 0;
    }

    private long skipEmptyRuns(long positions) {
        for (int p : runs) {
            if ((positions >>> p & 1) != 0) {
                positions |= 1L << (p + 1);
            }
        }
        return positions;
    }

    private boolean matchesLarge(CharSequence value) {
        int n = kinds.length;
        boolean[] current = new boolean[n + 1];
        boolean[] next = new boolean[n + 1];
        current[0] = true;
        skipEmptyRuns(current);
        for (int i = 0; i < value.length(); ) {
            int c = Character.codePointAt(value, i);
            i += Character.charCount(c);
            Arrays.fill(next, false);
            if (!step(current, next, c)) {
                return false;
            }
            boolean[] swap = current;
            current = next;
            next = swap;
        }
        return current[n];
    }

    /** Advances every live position over {@code c}; false when none survives. */
    private boolean step(boolean[] current, boolean[] next, int c) {
        boolean alive = false;
        for (int p = 0; p < kinds.length; p++) {
            if (!current[p]) {
                continue;
            }
            boolean takes = kinds[p] == LITERAL ? same(chars[p], c) : chars[p] != c;
            if (takes) {
                next[kinds[p] == RUN ? p : p + 1] = true; // a run stays put to take more
                alive = true;
            }
        }
        skipEmptyRuns(next);
        return alive;
    }

    /** A run may match nothing: whoever stands before one also stands after it. */
    private void skipEmptyRuns(boolean[] positions) {
        for (int p = 0; p < kinds.length; p++) {
            if (positions[p] && kinds[p] == RUN) {
                positions[p + 1] = true;
            }
        }
    }

    private boolean same(int a, int b) {
        if (a == b) {
            return true;
        }
        return ignoreCase && (Character.toUpperCase(a) == Character.toUpperCase(b)
                || Character.toLowerCase(a) == Character.toLowerCase(b));
    }

    /** Assembles a pattern element by element, for syntaxes with escapes or per-field wildcards. */
    public static final class Builder {
        private int[] kinds = new int[16];
        private int[] chars = new int[16];
        private int size;

        public Builder literal(int codePoint) {
            return add(LITERAL, codePoint);
        }

        /** One character, except {@code excluded} (or any with a negative value). */
        public Builder one(int excluded) {
            return add(ONE, excluded < 0 ? NONE : excluded);
        }

        /** Any run of characters, none of them {@code excluded} (any run with a negative value). */
        public Builder run(int excluded) {
            return add(RUN, excluded < 0 ? NONE : excluded);
        }

        private Builder add(int kind, int c) {
            if (size == kinds.length) {
                kinds = Arrays.copyOf(kinds, size * 2);
                chars = Arrays.copyOf(chars, size * 2);
            }
            kinds[size] = kind;
            chars[size++] = c;
            return this;
        }

        public WildcardPattern build(boolean ignoreCase) {
            return new WildcardPattern(Arrays.copyOf(kinds, size), Arrays.copyOf(chars, size), ignoreCase);
        }
    }
}
