package io.wharf.server.http;

/** A query parameter whose value is not valid percent-encoded UTF-8; each protocol maps it to its own 400. */
public final class MalformedQueryException extends IllegalArgumentException {
    private final String parameter;

    MalformedQueryException(String parameter, String rawValue) {
        super("the query parameter '" + parameter + "' is not valid percent-encoded UTF-8: " + rawValue);
        this.parameter = parameter;
    }

    public String parameter() {
        return parameter;
    }
}
