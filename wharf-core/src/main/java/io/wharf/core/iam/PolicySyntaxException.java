package io.wharf.core.iam;

/**
 * A policy document that does not follow the IAM policy grammar. The message names the offending element
 * (e.g. {@code Statement[1] (Sid "Pull"): Effect must be "Allow" or "Deny"}) so the ECR layer can append
 * it to "Invalid repository policy provided" and IAM to MalformedPolicyDocument.
 */
public final class PolicySyntaxException extends RuntimeException {

    public PolicySyntaxException(String message) {
        super(message);
    }

    public PolicySyntaxException(String message, Throwable cause) {
        super(message, cause);
    }
}
