package io.wharf.core.lifecycle;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzz target of lifecycle policies (PutLifecyclePolicy, StartLifecyclePolicyPreview): parsing either succeeds or
 * throws {@link LifecyclePolicyException}. Seeds: {@code LifecyclePolicyFuzzTestInputs/lifecyclePolicies/}.
 */
class LifecyclePolicyFuzzTest {
    @FuzzTest
    void lifecyclePolicies(byte[] input) {
        try {
            LifecyclePolicy.parse(new String(input, UTF_8));
        } catch (LifecyclePolicyException refused) {
            // "Lifecycle policy validation failure: ..."
        }
    }
}
