package io.wharf.core.error;

/** A repository name breaks the naming rules. */
public final class NameInvalidException extends RegistryException {
    public NameInvalidException(String message, String detail) {
        super(message, detail);
    }
}
