package io.wharf.core.lifecycle;

import io.wharf.core.model.WildcardPattern;
import java.util.List;

/**
 * The tag part of a rule's selection, compiled once per evaluation. A list narrows: an image qualifies only if
 * <em>every</em> entry matches <em>some</em> tag of it, so {@code ["alpha*","beta*"]} selects images carrying
 * both kinds of tags (and any others besides).
 */
final class TagSelector {

    private final TagStatus status;
    private final List<String> prefixes;
    private final List<WildcardPattern> patterns; // '*' = any run, the rest literal, the whole tag must match

    TagSelector(Selection selection) {
        this.status = selection.tagStatus();
        this.prefixes = selection.tagPrefixList();
        this.patterns = selection.tagPatternList().stream().map(WildcardPattern::star).toList();
    }

    boolean matches(List<String> tags) {
        return switch (status) {
            case ANY -> true;
            case UNTAGGED -> tags.isEmpty();
            case TAGGED -> !tags.isEmpty()
                    && prefixes.stream().allMatch(p -> tags.stream().anyMatch(t -> t.startsWith(p)))
                    && patterns.stream().allMatch(p -> tags.stream().anyMatch(p::matches));
        };
    }
}
