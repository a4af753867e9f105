package io.wharf.core.webhook;

/** A subscription's field is malformed or out of range; the message says which (APIs answer 400 with it). */
public final class InvalidWebhookException extends RuntimeException {
    public InvalidWebhookException(String message) {
        super(message);
    }
}
