package io.wharf.server.console;

/**
 * The sign-in form.
 *
 * @param formToken the token the form posts back, matched against its cookie
 * @param error     why the last attempt failed; null: none
 */
public record SignInPage(Frame frame, String formToken, String error) {
}
