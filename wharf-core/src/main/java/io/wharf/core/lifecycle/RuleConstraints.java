package io.wharf.core.lifecycle;

import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The validation rules that relate fields to each other (within a rule) and rules to each other (within a
 * policy). The rules scoped "per storage class" are so because ECR evaluates standard and archived images
 * separately: its own documented example pairs an {@code any} rule that archives (standard) with a later
 * {@code any} rule that expires archived images, and its error reads "Rule for tagStatus=ANY must have the
 * lowest priority per storage class".
 */
final class RuleConstraints {

    private RuleConstraints() {}

    /** {@code tagged} needs exactly one non-empty list; {@code untagged} and {@code any} may have neither. */
    static void checkTagLists(String where, TagStatus status, List<String> patterns, List<String> prefixes) {
        if (status != TagStatus.TAGGED) {
            String present = patterns != null ? "tagPatternList" : prefixes != null ? "tagPrefixList" : null;
            if (present != null) {
                throw fail(where, "selection." + present + " is only allowed with tagStatus \"tagged\", not \""
                        + status.json() + "\"");
            }
            return;
        }
        if (patterns == null && prefixes == null) {
            throw fail(where, "tagStatus \"tagged\" requires a tagPatternList or a tagPrefixList");
        }
        if (patterns != null && prefixes != null) {
            throw fail(where, "use tagPatternList or tagPrefixList, not both");
        }
        List<String> list = patterns != null ? patterns : prefixes;
        if (list.isEmpty()) {
            throw fail(where, "selection." + (patterns != null ? "tagPatternList" : "tagPrefixList") + " must not be empty");
        }
        if (patterns != null) {
            patterns.forEach(p -> checkWildcards(where, p));
        }
    }

    private static void checkWildcards(String where, String pattern) {
        long stars = pattern.chars().filter(c -> c == '*').count();
        if (stars > LifecyclePolicy.MAX_WILDCARDS) {
            throw fail(where, "tag pattern \"" + pattern + "\" has " + stars + " wildcards (*); at most "
                    + LifecyclePolicy.MAX_WILDCARDS + " are allowed per pattern");
        }
    }

    /** Archive is selectable only to expire what has been archived long enough; everything else is standard. */
    static void checkStorageClass(String where, StorageClass storageClass, CountType countType, int countNumber) {
        if (countType != CountType.SINCE_IMAGE_TRANSITIONED) {
            if (storageClass == StorageClass.ARCHIVE) {
                throw fail(where, "selection.storageClass \"archive\" is only allowed with countType \"sinceImageTransitioned\"");
            }
            return;
        }
        if (storageClass != StorageClass.ARCHIVE) {
            throw fail(where, "countType \"sinceImageTransitioned\" requires selection.storageClass \"archive\"");
        }
        // ECR bills archive for at least 90 days and refuses policies that would delete earlier.
        if (countNumber < LifecyclePolicy.MIN_ARCHIVE_DAYS) {
            throw fail(where, "archived images must stay in archive for at least " + LifecyclePolicy.MIN_ARCHIVE_DAYS
                    + " days, so countType \"sinceImageTransitioned\" needs a countNumber of at least "
                    + LifecyclePolicy.MIN_ARCHIVE_DAYS + ", not " + countNumber);
        }
    }

    /** Pull history may only archive; archive age may only expire. */
    static void checkRule(String where, Selection selection, Action action) {
        CountType countType = selection.countType();
        if (countType == CountType.SINCE_IMAGE_PULLED && action.type() != ActionType.TRANSITION) {
            throw fail(where, "countType \"sinceImagePulled\" can only archive images: action type must be"
                    + " \"transition\", not \"" + action.type().json() + "\"");
        }
        if (countType == CountType.SINCE_IMAGE_TRANSITIONED && action.type() != ActionType.EXPIRE) {
            throw fail(where, "countType \"sinceImageTransitioned\" selects archived images, which can only be"
                    + " expired: action type must be \"expire\", not \"" + action.type().json() + "\"");
        }
    }

    /** Sorts {@code rules} by priority after checking the rules that compare one rule with another. */
    static void checkAcrossRules(List<Rule> rules) {
        checkUniquePriorities(rules);
        rules.sort(Comparator.comparingInt(Rule::priority));
        checkAnyIsLast(rules);
        checkSingleUntagged(rules);
        checkUniquePrefixSets(rules);
    }

    private static void checkUniquePriorities(List<Rule> rules) {
        Set<Integer> seen = new HashSet<>();
        for (Rule rule : rules) {
            if (!seen.add(rule.priority())) {
                throw fail(where(rule), "rulePriority " + rule.priority() + " is used by more than one rule;"
                        + " priorities must be unique");
            }
        }
    }

    private static void checkAnyIsLast(List<Rule> sorted) {
        Map<StorageClass, Rule> any = new HashMap<>();
        for (Rule rule : sorted) {
            Rule earlier = any.get(rule.selection().storageClass());
            if (earlier != null) {
                throw fail(where(earlier), "a rule with tagStatus \"any\" must have the largest rulePriority of the"
                        + " rules for storage class \"" + rule.selection().storageClass().json() + "\", but the rule"
                        + " with priority " + rule.priority() + " comes after it");
            }
            if (rule.selection().tagStatus() == TagStatus.ANY) {
                any.put(rule.selection().storageClass(), rule);
            }
        }
    }

    private static void checkSingleUntagged(List<Rule> sorted) {
        Map<StorageClass, Rule> untagged = new HashMap<>();
        for (Rule rule : sorted) {
            if (rule.selection().tagStatus() != TagStatus.UNTAGGED) {
                continue;
            }
            Rule earlier = untagged.putIfAbsent(rule.selection().storageClass(), rule);
            if (earlier != null) {
                throw fail(where(rule), "only one rule per storage class may select untagged images, and the rule"
                        + " with priority " + earlier.priority() + " already selects untagged \""
                        + rule.selection().storageClass().json() + "\" images");
            }
        }
    }

    private static void checkUniquePrefixSets(List<Rule> sorted) {
        Map<PrefixSet, Rule> seen = new HashMap<>();
        for (Rule rule : sorted) {
            List<String> prefixes = rule.selection().tagPrefixList();
            if (prefixes.isEmpty()) {
                continue;
            }
            // As a set: ["a","b"] and ["b","a","a"] select the same images.
            Rule earlier = seen.putIfAbsent(new PrefixSet(rule.selection().storageClass(), Set.copyOf(prefixes)), rule);
            if (earlier != null) {
                throw fail(where(rule), "tagPrefixList " + quoted(prefixes) + " selects the same prefixes as the rule"
                        + " with priority " + earlier.priority() + "; tag prefix sets must be unique per storage class");
            }
        }
    }

    private record PrefixSet(StorageClass storageClass, Set<String> prefixes) {}

    private static String quoted(List<String> values) {
        return values.stream().map(v -> "\"" + v + "\"").collect(Collectors.joining(",", "[", "]"));
    }

    private static String where(Rule rule) {
        return "rule with priority " + rule.priority();
    }

    private static LifecyclePolicyException fail(String where, String what) {
        return new LifecyclePolicyException(where + ": " + what);
    }
}
