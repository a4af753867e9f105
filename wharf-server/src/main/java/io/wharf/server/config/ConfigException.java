package io.wharf.server.config;

/**
 * Configuration the process cannot start with: an unknown key, a bad value, an unreadable file.
 * The message is meant for the operator as is; the command line exits with status 2.
 */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
