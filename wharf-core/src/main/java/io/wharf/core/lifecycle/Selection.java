package io.wharf.core.lifecycle;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Which images a rule selects and how it counts them.
 *
 * <p>Absent tag lists are empty lists, never null (only a {@code tagged} rule has one, and then exactly one
 * is non-empty). {@code storageClass} is {@link StorageClass#STANDARD} when the policy omits it, as in ECR.
 * {@code countUnitDays} is the length of the policy's {@code countUnit} in days — {@code 1} for
 * {@code "days"}, the only unit ECR knows — and null for {@code imageCountMoreThan}, which has no unit. So for
 * an age rule the limit is {@code countNumber × countUnitDays} days; {@link #ageLimit()} computes it.
 */
public record Selection(TagStatus tagStatus, List<String> tagPatternList, List<String> tagPrefixList,
                        StorageClass storageClass, CountType countType, Integer countUnitDays, int countNumber) {

    public Selection {
        Objects.requireNonNull(tagStatus, "tagStatus");
        Objects.requireNonNull(countType, "countType");
        tagPatternList = tagPatternList == null ? List.of() : List.copyOf(tagPatternList);
        tagPrefixList = tagPrefixList == null ? List.of() : List.copyOf(tagPrefixList);
        storageClass = storageClass == null ? StorageClass.STANDARD : storageClass;
        if (countType.isAge() != (countUnitDays != null) || countUnitDays != null && countUnitDays < 1) {
            throw new IllegalArgumentException("countUnitDays must be null for imageCountMoreThan and positive for"
                    + " the age count types, not " + countUnitDays + " for " + countType.json());
        }
    }

    /** How old (since push, pull or archiving) an image must be to be selected; empty for imageCountMoreThan. */
    public Optional<Duration> ageLimit() {
        return countUnitDays == null ? Optional.empty()
                : Optional.of(Duration.ofDays((long) countNumber * countUnitDays));
    }
}
