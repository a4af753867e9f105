package io.wharf.core.error;

/** A request value breaks a domain rule that no value type could check at the edge. */
public final class ParameterInvalidException extends RegistryException {
    public ParameterInvalidException(String message, String detail) {
        super(message, detail);
    }
}
