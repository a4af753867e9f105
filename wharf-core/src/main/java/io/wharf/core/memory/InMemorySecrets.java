package io.wharf.core.memory;

import io.wharf.core.spi.SecretIndex;

/** {@link SecretIndex} in memory. */
final class InMemorySecrets implements SecretIndex {
}
