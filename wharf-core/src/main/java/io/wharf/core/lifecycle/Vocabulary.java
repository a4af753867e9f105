package io.wharf.core.lifecycle;

/**
 * An enum constant with the exact lower-case spelling the policy JSON uses. The grammar is case-sensitive
 * ({@code "Tagged"} is an error), unlike the upper-case API enums, so the spelling is stated, not derived.
 */
interface Vocabulary {

    /** The value as written in a lifecycle policy. */
    String json();
}
