package io.wharf.server.console;

/**
 * What the layout of every page needs: the title, who is signed in (null: nobody), the session's CSRF token for
 * the sign-out form, and whether authentication is off (the page then says so).
 */
public record Frame(String title, String principalArn, String csrfToken, boolean authDisabled, String account) {

    public boolean signedIn() {
        return principalArn != null;
    }
}
