package io.wharf.core.error;

/** A repository creation template that must not exist already, or must exist, for the operation asked. */
public final class CreationTemplateException extends RegistryException {

    /** Which way the template's existence was wrong. */
    public enum Kind { ALREADY_EXISTS, NOT_FOUND }

    private final Kind kind;

    public CreationTemplateException(Kind kind, String message, String prefix) {
        super(message, prefix);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
