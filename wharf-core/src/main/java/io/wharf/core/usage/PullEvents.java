package io.wharf.core.usage;

/** Which {@code ImagePulled} events the registry writes ({@code usage.pull-events}). */
public enum PullEvents {
    /** At most one a day per image, when its pull time is recorded (the default; what lifecycle rules read). */
    DAILY,
    /** One per repository and digest pulled in each flush interval, with the interval's pull count. */
    EVERY,
    /** None. */
    OFF
}
