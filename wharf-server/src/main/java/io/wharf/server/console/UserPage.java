package io.wharf.server.console;

import java.util.List;

/**
 * One IAM user: its access keys (never their secrets) and inline policies, each section shown when the caller may
 * list it, and the form that adds or replaces a policy.
 *
 * @param keys            null when {@code keysRefusal} says why they are not shown
 * @param policies        null when {@code policiesRefusal} says why they are not shown
 * @param policyName      what the policy form holds (kept after a refused put)
 * @param policyError     why the policy was refused (the domain's message); null: it was not
 */
public record UserPage(Frame frame, String name, String arn, String created, String notice, List<Key> keys,
                       String keysRefusal, List<Policy> policies, String policiesRefusal, String policyName,
                       String policyText, String policyError, String usersHref, String keysAction,
                       String policyAction, String deleteHref) {

    public record Key(String id, String status, String created, String statusAction, String nextStatus,
                      String deleteHref) {
    }

    public record Policy(String name, String document) {
    }
}
