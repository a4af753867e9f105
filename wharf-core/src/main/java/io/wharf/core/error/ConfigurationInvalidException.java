package io.wharf.core.error;

/** A configuration document (e.g. the registry scanning configuration) breaks a rule of its schema. */
public final class ConfigurationInvalidException extends RegistryException {
    public ConfigurationInvalidException(String message, String detail) {
        super(message, detail);
    }
}
