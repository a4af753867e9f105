package io.wharf.core.spi;

/** Named secrets of an account (pull-through credentials), stored sealed: this index never sees them in the clear (issue 12 skeleton: methods to be added by its owner). */
public interface SecretIndex {
}
