package io.wharf.core.lifecycle;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The tag part of a rule's selection, compiled once per evaluation. A list narrows: an image qualifies only if
 * <em>every</em> entry matches <em>some</em> tag of it, so {@code ["alpha*","beta*"]} selects images carrying
 * both kinds of tags (and any others besides).
 */
final class TagSelector {

    private final TagStatus status;
    private final List<String> prefixes;
    private final List<Pattern> patterns;

    TagSelector(Selection selection) {
        this.status = selection.tagStatus();
        this.prefixes = selection.tagPrefixList();
        this.patterns = selection.tagPatternList().stream().map(TagSelector::wildcard).toList();
    }

    boolean matches(List<String> tags) {
        return switch (status) {
            case ANY -> true;
            case UNTAGGED -> tags.isEmpty();
            case TAGGED -> !tags.isEmpty()
                    && prefixes.stream().allMatch(p -> tags.stream().anyMatch(t -> t.startsWith(p)))
                    && patterns.stream().allMatch(p -> tags.stream().anyMatch(t -> p.matcher(t).matches()));
        };
    }

    /** {@code *} matches any run of characters, including none; everything else is literal; the whole tag must match. */
    static Pattern wildcard(String pattern) {
        String regex = Arrays.stream(pattern.split("\\*", -1)).map(Pattern::quote).collect(Collectors.joining(".*"));
        return Pattern.compile(regex, Pattern.DOTALL);
    }
}
