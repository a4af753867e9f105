package io.wharf.core.lifecycle;

/**
 * One image a policy acts on: the rule that owns it ({@code appliedRulePriority} in a preview) and what it does.
 * A {@link ActionType#TRANSITION} always targets {@link StorageClass#ARCHIVE}, the only target the grammar allows.
 */
public record Verdict(String digest, int rulePriority, ActionType action) {}
