package io.wharf.core.spi;

/** Repository creation templates and account settings (issue 12 skeleton: methods to be added by its owner). */
public interface TemplateIndex {
}
