package io.wharf.core.model;

import io.wharf.core.error.NameInvalidException;
import java.util.regex.Pattern;

/**
 * A repository name as the OCI distribution spec defines it: path components of lower-case
 * alphanumerics joined by '.', '_', '__' or runs of '-', separated by '/'. The grammar itself rules
 * out '..', empty components and absolute paths, so a name can never escape a storage directory.
 */
public record RepositoryName(String value) implements Comparable<RepositoryName> {

    /** Distribution's limit; ECR allows 256. Configurable through {@link #parse(String, int)}. */
    public static final int DEFAULT_MAX_LENGTH = 255;

    private static final Pattern GRAMMAR = Pattern.compile(
            "[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*)*");

    public RepositoryName {
        if (value == null || value.isEmpty()) {
            throw new NameInvalidException("repository name must not be empty", value);
        }
        if (!GRAMMAR.matcher(value).matches()) {
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

    @Override
    public int compareTo(RepositoryName o) {
        return value.compareTo(o.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
