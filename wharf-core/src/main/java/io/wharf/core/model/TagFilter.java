package io.wharf.core.model;

import io.wharf.core.error.ParameterInvalidException;
import java.util.regex.Pattern;

/**
 * A WILDCARD tag filter: {@code *} matches any run of characters (also none), everything else is
 * literal, and the whole tag must match. ECR's filter alphabet is {@code [0-9a-zA-Z._*-]}, 1–128 long.
 */
public record TagFilter(String value) {
    private static final Pattern ALPHABET = Pattern.compile("[0-9a-zA-Z._*-]{1,128}");

    public TagFilter {
        if (value == null || !ALPHABET.matcher(value).matches()) {
            throw new ParameterInvalidException("Invalid parameter at 'filter' failed to satisfy constraint: "
                    + "'must satisfy regular expression '^[0-9a-zA-Z._*-]{1,128}$''", value);
        }
    }

    public boolean matches(String tag) {
        return matches(tag, 0, 0);
    }

    /** Plain backtracking over the pattern; filters are at most 128 characters, tags at most 300. */
    private boolean matches(String tag, int p, int t) {
        if (p == value.length()) {
            return t == tag.length();
        }
        if (value.charAt(p) == '*') {
            for (int k = t; k <= tag.length(); k++) {
                if (matches(tag, p + 1, k)) {
                    return true;
                }
            }
            return false;
        }
        return t < tag.length() && tag.charAt(t) == value.charAt(p) && matches(tag, p + 1, t + 1);
    }
}
