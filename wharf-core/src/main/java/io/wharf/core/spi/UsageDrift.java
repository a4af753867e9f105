package io.wharf.core.spi;

/**
 * A counter that differed from a recount of the tables.
 *
 * @param subject the repository's name, or {@code registry}
 * @param counter the counter's name ({@code images}, {@code exclusiveBytes}, {@code unlinkedBytes}…)
 */
public record UsageDrift(String subject, String counter, long kept, long actual) {
}
