package io.wharf.core.identity;

import java.util.Objects;

/** A refused identity operation, with the IAM error code it corresponds to. */
public final class IdentityException extends RuntimeException {

    /** What went wrong, named after IAM's error codes so a future IAM API maps them one to one. */
    public enum Kind {
        NO_SUCH_ENTITY("NoSuchEntity"),
        ENTITY_ALREADY_EXISTS("EntityAlreadyExists"),
        MALFORMED_POLICY_DOCUMENT("MalformedPolicyDocument"),
        INVALID_INPUT("InvalidInput"),
        LIMIT_EXCEEDED("LimitExceeded");

        private final String iamCode;

        Kind(String iamCode) {
            this.iamCode = iamCode;
        }

        public String iamCode() {
            return iamCode;
        }
    }

    private final Kind kind;

    public IdentityException(Kind kind, String message) {
        super(message);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public Kind kind() {
        return kind;
    }

    public static IdentityException noSuchUser(String account, String user) {
        return new IdentityException(Kind.NO_SUCH_ENTITY,
                "The user with name " + user + " cannot be found in account " + account + ".");
    }

    public static IdentityException noSuchRole(String account, String role) {
        return new IdentityException(Kind.NO_SUCH_ENTITY, "The role with name " + role + " cannot be found.");
    }
}
