package io.wharf.core.lifecycle;

/**
 * A lifecycle policy that ECR would refuse. The message has ECR's prefix, {@value #PREFIX}, followed by what is
 * wrong and, where the fault is inside a rule, that rule's priority (users know rules by priority, not by
 * position), e.g. {@code Lifecycle policy validation failure: rule with priority 2: countNumber must be a
 * positive integer, not 0}. The ECR API layer reports it as InvalidParameterException.
 */
public final class LifecyclePolicyException extends RuntimeException {

    public static final String PREFIX = "Lifecycle policy validation failure: ";

    LifecyclePolicyException(String detail) {
        super(PREFIX + detail);
    }

    LifecyclePolicyException(String detail, Throwable cause) {
        super(PREFIX + detail, cause);
    }
}
