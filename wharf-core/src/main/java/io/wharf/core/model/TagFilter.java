package io.wharf.core.model;

import io.wharf.core.error.ParameterInvalidException;
import java.util.regex.Pattern;

/**
 * A WILDCARD tag filter: {@code *} matches any run of characters (also none), everything else is
 * literal, and the whole tag must match. ECR's filter alphabet is {@code [0-9a-zA-Z._*-]}, 1–128 long.
 * Matching takes time proportional to filter × tag length, whatever the filter ({@link WildcardPattern}). The constructor accepts
 * stored filters, which may predate the wildcard limit; requests go through {@link #parse}.
 */
public record TagFilter(String value) {
    /** ECR refuses filters with more wildcards than this. */
    public static final int MAX_WILDCARDS = 2;
    private static final Pattern ALPHABET = Pattern.compile("[0-9a-zA-Z._*-]{1,128}");

    public TagFilter {
        if (value == null || !ALPHABET.matcher(value).matches()) {
            throw new ParameterInvalidException("Invalid parameter at 'filter' failed to satisfy constraint: "
                    + "'must satisfy regular expression '^[0-9a-zA-Z._*-]{1,128}$''", value);
        }
    }

    /** A filter from a request: ECR's limits apply in full. */
    public static TagFilter parse(String value) {
        TagFilter filter = new TagFilter(value);
        long stars = value.chars().filter(c -> c == '*').count();
        if (stars > MAX_WILDCARDS) {
            throw new ParameterInvalidException("Invalid parameter at 'filter' failed to satisfy constraint: "
                    + "'a filter may contain at most " + MAX_WILDCARDS + " wildcard characters (*)'", value);
        }
        return filter;
    }

    public boolean matches(String tag) {
        return WildcardPattern.star(value).matches(tag); // compiling is linear too, and cheaper than caching
    }
}
