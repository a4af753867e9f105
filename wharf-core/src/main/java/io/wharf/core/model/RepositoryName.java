package io.wharf.core.model;

import io.wharf.core.error.NameInvalidException;

/**
 * A repository name as the OCI distribution spec defines it: path components of lower-case
 * alphanumerics joined by '.', '_', '__' or runs of '-', separated by '/'. The grammar itself rules
 * out '..', empty components and absolute paths, so a name can never escape a storage directory.
 * The grammar is checked by a single forward scan: the spec's regex, run by {@code java.util.regex},
 * recurses once per separator and overflows the stack on names of a few thousand characters.
 */
public record RepositoryName(String value) implements Comparable<RepositoryName> {

    /** Distribution's limit; ECR allows 256. Configurable through {@link #parse(String, int)}. */
    public static final int DEFAULT_MAX_LENGTH = 255;

    public RepositoryName {
        if (value == null || value.isEmpty()) {
            throw new NameInvalidException("repository name must not be empty", value);
        }
        if (!grammatical(value)) {
            throw new NameInvalidException("invalid repository name", value);
        }
    }

    public static RepositoryName parse(String value, int maxLength) {
        if (value != null && value.length() > maxLength) {
            throw new NameInvalidException("repository name longer than " + maxLength + " characters", value);
        }
        return new RepositoryName(value);
    }

    public static RepositoryName parse(String value) {
        return parse(value, DEFAULT_MAX_LENGTH);
    }

    /** {@code [a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*}, in one pass. */
    private static boolean grammatical(String v) {
        int i = alphanumerics(v, 0);
        while (i > 0 && i < v.length()) {
            int next = v.charAt(i) == '/' ? i + 1 : separator(v, i);
            i = next < 0 ? -1 : alphanumerics(v, next);
        }
        return i == v.length();
    }

    /** The end of the run of {@code [a-z0-9]} at {@code from}; -1 when there is none. */
    private static int alphanumerics(String v, int from) {
        int i = from;
        while (i < v.length() && (v.charAt(i) >= 'a' && v.charAt(i) <= 'z' || v.charAt(i) >= '0' && v.charAt(i) <= '9')) {
            i++;
        }
        return i > from ? i : -1;
    }

    /** The end of the separator at {@code from} ('.', '_', '__' or a run of '-'); -1 when there is none. */
    private static int separator(String v, int from) {
        char c = v.charAt(from);
        int i = from + 1;
        if (c == '_' && i < v.length() && v.charAt(i) == '_') {
            return i + 1;
        }
        while (c == '-' && i < v.length() && v.charAt(i) == '-') {
            i++;
        }
        return c == '.' || c == '_' || c == '-' ? i : -1;
    }

    @Override
    public int compareTo(RepositoryName o) {
        return value.compareTo(o.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
