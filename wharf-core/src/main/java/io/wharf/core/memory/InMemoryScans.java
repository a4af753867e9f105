package io.wharf.core.memory;

import io.wharf.core.spi.ScanIndex;

/** {@link ScanIndex} in memory. */
final class InMemoryScans implements ScanIndex {
}
