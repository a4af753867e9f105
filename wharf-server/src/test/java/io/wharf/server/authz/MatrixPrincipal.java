package io.wharf.server.authz;

/** The matrix's columns, in the order the expectation rows list them. */
enum MatrixPrincipal {
    /** No credentials at all. */
    ANONYMOUS("anon"),
    /** An IAM user with a key and no policy: authenticated, allowed nothing. */
    NO_POLICY("none"),
    /** {@link MatrixPolicies#PULL}. */
    PULL_ONLY("pull"),
    /** {@link MatrixPolicies#PUSH}. */
    PUSH_ONLY("push"),
    /** A user with {@code *}. */
    ADMIN("admin"),
    /** A user of another account with {@code *} in its own account, and no grant from this one. */
    OTHER_ACCOUNT("other"),
    /** GetSessionToken without MFA of a user whose push needs MFA ({@link MatrixPolicies#PUSH_NEEDS_MFA}). */
    SESSION("sess"),
    /** The same user's GetSessionToken with a TOTP code. */
    MFA_SESSION("mfa"),
    /** AssumeRole of a role with {@code ecr:*} ({@link MatrixPolicies#ECR_ALL}). */
    ROLE_SESSION("role");

    final String column;

    MatrixPrincipal(String column) {
        this.column = column;
    }
}
