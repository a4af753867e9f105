package io.wharf.core.iam;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.IntPredicate;
import java.util.stream.Collectors;

/** The IAM condition operators, without the IfExists suffix and the ForAnyValue:/ForAllValues: qualifiers. */
enum ConditionOperator {
    STRING_EQUALS("StringEquals", Type.STRING, false),
    STRING_NOT_EQUALS("StringNotEquals", Type.STRING, true),
    STRING_EQUALS_IGNORE_CASE("StringEqualsIgnoreCase", Type.STRING_IGNORE_CASE, false),
    STRING_NOT_EQUALS_IGNORE_CASE("StringNotEqualsIgnoreCase", Type.STRING_IGNORE_CASE, true),
    STRING_LIKE("StringLike", Type.STRING_LIKE, false),
    STRING_NOT_LIKE("StringNotLike", Type.STRING_LIKE, true),
    // IAM documents ArnEquals and ArnLike identically: both take wildcards, field by field.
    ARN_EQUALS("ArnEquals", Type.ARN, false),
    ARN_LIKE("ArnLike", Type.ARN, false),
    ARN_NOT_EQUALS("ArnNotEquals", Type.ARN, true),
    ARN_NOT_LIKE("ArnNotLike", Type.ARN, true),
    BOOL("Bool", Type.BOOL, false),
    BINARY_EQUALS("BinaryEquals", Type.BINARY, false),
    IP_ADDRESS("IpAddress", Type.IP, false),
    NOT_IP_ADDRESS("NotIpAddress", Type.IP, true),
    DATE_EQUALS("DateEquals", Type.DATE, false, c -> c == 0),
    DATE_NOT_EQUALS("DateNotEquals", Type.DATE, true, c -> c == 0),
    DATE_LESS_THAN("DateLessThan", Type.DATE, false, c -> c < 0),
    DATE_LESS_THAN_EQUALS("DateLessThanEquals", Type.DATE, false, c -> c <= 0),
    DATE_GREATER_THAN("DateGreaterThan", Type.DATE, false, c -> c > 0),
    DATE_GREATER_THAN_EQUALS("DateGreaterThanEquals", Type.DATE, false, c -> c >= 0),
    NUMERIC_EQUALS("NumericEquals", Type.NUMERIC, false, c -> c == 0),
    NUMERIC_NOT_EQUALS("NumericNotEquals", Type.NUMERIC, true, c -> c == 0),
    NUMERIC_LESS_THAN("NumericLessThan", Type.NUMERIC, false, c -> c < 0),
    NUMERIC_LESS_THAN_EQUALS("NumericLessThanEquals", Type.NUMERIC, false, c -> c <= 0),
    NUMERIC_GREATER_THAN("NumericGreaterThan", Type.NUMERIC, false, c -> c > 0),
    NUMERIC_GREATER_THAN_EQUALS("NumericGreaterThanEquals", Type.NUMERIC, false, c -> c >= 0),
    NULL("Null", Type.NULL, false);

    private enum Type { STRING, STRING_IGNORE_CASE, STRING_LIKE, ARN, BOOL, BINARY, IP, DATE, NUMERIC, NULL }

    /** Tests one request value against one policy value, in the operator's positive form. */
    @FunctionalInterface
    interface ValueTest {
        boolean test(String actual, RequestContext ctx);
    }

    private static final Map<String, ConditionOperator> BY_NAME = Arrays.stream(values())
            .collect(Collectors.toMap(o -> o.awsName.toLowerCase(Locale.ROOT), Function.identity()));

    private final String awsName;
    private final Type type;
    private final boolean negated;
    private final IntPredicate order; // for dates and numbers: holds for compare(actual, policy value)

    ConditionOperator(String awsName, Type type, boolean negated) {
        this(awsName, type, negated, c -> c == 0);
    }

    ConditionOperator(String awsName, Type type, boolean negated, IntPredicate order) {
        this.awsName = awsName;
        this.type = type;
        this.negated = negated;
        this.order = order;
    }

    /** Operator names are matched case-insensitively; null when there is no such operator. */
    static ConditionOperator byName(String name) {
        return BY_NAME.get(name.toLowerCase(Locale.ROOT));
    }

    String awsName() {
        return awsName;
    }

    /** True for the Not... operators, which hold when no policy value matches. */
    boolean negated() {
        return negated;
    }

    /**
     * Compiles one policy value into a test of one request value, throwing IllegalArgumentException (with a
     * message fit for the policy's author) for a value the operator cannot use.
     */
    ValueTest compile(String value, boolean variables) {
        return switch (type) {
            case STRING -> pattern(value, MatchPattern.Mode.LITERAL, false, variables);
            case STRING_IGNORE_CASE -> pattern(value, MatchPattern.Mode.LITERAL, true, variables);
            case STRING_LIKE -> pattern(value, MatchPattern.Mode.GLOB, false, variables);
            case ARN -> pattern(value, MatchPattern.Mode.ARN, false, variables);
            case BINARY -> (actual, ctx) -> actual.equals(value);
            case BOOL, NULL -> {
                String expected = bool(value);
                yield (actual, ctx) -> actual.equalsIgnoreCase(expected);
            }
            case IP -> {
                IpRange range = IpRange.parse(value);
                yield (actual, ctx) -> range.contains(actual);
            }
            case DATE -> {
                Instant expected = date(value);
                yield (actual, ctx) -> compares(tryDate(actual), expected);
            }
            case NUMERIC -> {
                BigDecimal expected = number(value);
                yield (actual, ctx) -> compares(tryNumber(actual), expected);
            }
        };
    }

    private static ValueTest pattern(String value, MatchPattern.Mode mode, boolean ignoreCase, boolean variables) {
        MatchPattern p = new MatchPattern(value, mode, ignoreCase, variables);
        return (actual, ctx) -> p.matches(actual, ctx);
    }

    /** An unparseable request value compares as "no match", whatever the operator. */
    private <T extends Comparable<T>> boolean compares(T actual, T expected) {
        return actual != null && order.test(actual.compareTo(expected));
    }

    private static String bool(String value) {
        String v = value.toLowerCase(Locale.ROOT);
        if (!v.equals("true") && !v.equals("false")) {
            throw new IllegalArgumentException("\"" + value + "\" is not true or false");
        }
        return v;
    }

    private static BigDecimal number(String value) {
        BigDecimal n = tryNumber(value);
        if (n == null) {
            throw new IllegalArgumentException("\"" + value + "\" is not a number");
        }
        return n;
    }

    private static BigDecimal tryNumber(String value) {
        try {
            return new BigDecimal(value.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Instant date(String value) {
        Instant t = tryDate(value);
        if (t == null) {
            throw new IllegalArgumentException("\"" + value + "\" is not a date (ISO 8601, e.g. 2025-01-31T12:00:00Z, or epoch seconds)");
        }
        return t;
    }

    /** ISO 8601 date-time (UTC when no offset), ISO date (midnight UTC), or epoch seconds, as IAM accepts. */
    static Instant tryDate(String value) {
        String v = value.trim();
        try {
            if (v.matches("-?\\d+(\\.\\d+)?")) {
                BigDecimal seconds = new BigDecimal(v);
                return Instant.ofEpochSecond(seconds.longValue(), seconds.remainder(BigDecimal.ONE).movePointRight(9).longValue());
            }
            if (v.length() == 10) {
                return LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            TemporalAccessor t = DateTimeFormatter.ISO_DATE_TIME.parseBest(v, ZonedDateTime::from, LocalDateTime::from);
            return t instanceof ZonedDateTime z ? z.toInstant() : ((LocalDateTime) t).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException | ArithmeticException e) {
            return null;
        }
    }
}
