package io.wharf.core.memory;

import io.wharf.core.spi.TemplateIndex;

/** {@link TemplateIndex} in memory. */
final class InMemoryTemplates implements TemplateIndex {
}
