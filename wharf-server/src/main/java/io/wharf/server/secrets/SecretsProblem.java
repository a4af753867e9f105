package io.wharf.server.secrets;

/** A Secrets Manager error: its {@code __type} and message (400). */
final class SecretsProblem extends RuntimeException {
    final String type;

    SecretsProblem(String type, String message) {
        super(message);
        this.type = type;
    }

    static SecretsProblem invalid(String message) {
        return new SecretsProblem("InvalidParameterException", message);
    }
}
