package io.wharf.server.ecr;

import io.wharf.core.error.RegistryException;
import io.wharf.core.model.Digest;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.model.Tag;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The ECR model's constraints, checked at the edge with ECR's wording. The Java and Go SDKs check
 * almost nothing client-side, so every constraint the model declares is enforced here.
 */
final class Check {
    static final String NAME_REGEX = "(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*";
    private static final Pattern REGISTRY_ID = Pattern.compile("[0-9]{12}");
    static final int DEFAULT_PAGE = 100;

    private Check() {
    }

    static <T> T required(String member, T value) {
        if (value == null) {
            throw EcrProblem.constraint(member, "Member must not be null");
        }
        return value;
    }

    static String length(String member, String value, int min, int max) {
        if (value != null && value.length() < min) {
            throw EcrProblem.constraint(member, "Member must have length greater than or equal to " + min);
        }
        if (value != null && value.length() > max) {
            throw EcrProblem.constraint(member, "Member must have length less than or equal to " + max);
        }
        return value;
    }

    static <T> List<T> size(String member, List<T> value, int min, int max) {
        if (value != null && value.size() < min) {
            throw EcrProblem.constraint(member, "Member must have length greater than or equal to " + min);
        }
        if (value != null && value.size() > max) {
            throw EcrProblem.constraint(member, "Member must have length less than or equal to " + max);
        }
        return value;
    }

    static RepositoryName repositoryName(String member, String value) {
        length(member, required(member, value), 2, 256);
        try {
            return RepositoryName.parse(value, 256);
        } catch (RegistryException e) {
            throw EcrProblem.constraint(member, "must satisfy regular expression '" + NAME_REGEX + "'");
        }
    }

    /** A registry id if given (12 digits); null when absent. */
    static String registryId(String value) {
        if (value != null && !REGISTRY_ID.matcher(value).matches()) {
            throw EcrProblem.constraint("registryId", "must satisfy regular expression '[0-9]{12}'");
        }
        return value;
    }

    /** A page size: 1..max, {@link #DEFAULT_PAGE} when absent. */
    static int maxResults(Integer value, int max) {
        if (value == null) {
            return Math.min(DEFAULT_PAGE, max);
        }
        if (value < 1) {
            throw EcrProblem.constraint("maxResults", "Member must have value greater than or equal to 1");
        }
        if (value > max) {
            throw EcrProblem.constraint("maxResults", "Member must have value less than or equal to " + max);
        }
        return value;
    }

    /** ECR refuses paging members beside an explicit id list. */
    static void noPagingWith(String listMember, List<?> list, String nextToken, Integer maxResults) {
        if (list != null && (nextToken != null || maxResults != null)) {
            throw EcrProblem.invalid("Invalid parameter: nextToken and maxResults cannot be specified with "
                    + listMember);
        }
    }

    static <E extends Enum<E>> E choice(String member, String value, Class<E> type) {
        if (value == null) {
            return null;
        }
        try {
            return Enum.valueOf(type, value);
        } catch (IllegalArgumentException e) {
            throw EcrProblem.constraint(member, "Member must satisfy enum value set: "
                    + Arrays.toString(type.getEnumConstants()));
        }
    }

    static Tag tag(String member, String value) {
        length(member, required(member, value), 1, 300);
        if (!Tag.isValid(value)) {
            throw EcrProblem.constraint(member, "must satisfy regular expression '[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}'");
        }
        return new Tag(value);
    }

    static Digest digest(String member, String value) {
        required(member, value);
        try {
            return Digest.parse(value);
        } catch (RegistryException e) {
            throw EcrProblem.constraint(member, "must satisfy regular expression '[a-zA-Z0-9-_+.]+:[a-fA-F0-9]+'");
        }
    }
}
