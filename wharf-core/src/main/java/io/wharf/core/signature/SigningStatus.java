package io.wharf.core.signature;

/**
 * How far an image's signing by one profile got.
 *
 * @param failureCode   null unless FAILED
 * @param failureReason null unless FAILED
 */
public record SigningStatus(String signingProfileArn, State status, String failureCode, String failureReason) {

    public enum State { IN_PROGRESS, COMPLETE, FAILED }
}
