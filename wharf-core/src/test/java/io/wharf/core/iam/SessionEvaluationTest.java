package io.wharf.core.iam;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Temporary credentials in evaluation: session policies, the MFA condition keys, role sessions, and trust policies. */
class SessionEvaluationTest {
    private static final String ACCT = "111111111111";
    private static final String OTHER = "222222222222";
    private static final String REPO = "arn:aws:ecr:us-east-1:" + ACCT + ":repository/app";
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
    private static final PolicyDocument ECR_ALL = policy("""
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecr:*","Resource":"*"}]}""");

    private static PolicyDocument policy(String json) {
        return PolicyDocument.parse(json);
    }

    private static Session session(Instant mfaAt, PolicyDocument sessionPolicy) {
        return new Session(T, T.plusSeconds(3600), mfaAt, sessionPolicy);
    }

    /** At T + {@code seconds}, as IamAuth puts the time into the context. */
    private static Decision decide(Principal p, String action, long seconds, PolicyDocument identity, PolicyDocument repo) {
        Map<String, List<String>> context = Map.of("aws:EpochTime", List.of(Long.toString(T.getEpochSecond() + seconds)));
        return PolicyEvaluator.evaluate(new AuthzRequest(p, action, REPO, null, context), List.of(identity), repo, null);
    }

    @Test
    void aSessionPolicyOnlyNarrows() {
        Principal alice = Principal.user(ACCT, "alice");
        Principal narrowed = alice.withSession(session(null, policy("""
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecr:Describe*","Resource":"*"}]}""")));
        assertThat(decide(narrowed, "ecr:DescribeImages", 0, ECR_ALL, null)).isEqualTo(Decision.ALLOW);
        assertThat(decide(narrowed, "ecr:PutImage", 0, ECR_ALL, null)).isEqualTo(Decision.IMPLICIT_DENY);
        Principal wider = alice.withSession(session(null, policy("""
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""")));
        assertThat(decide(wider, "secretsmanager:GetSecretValue", 0, ECR_ALL, null)).as("never widens")
                .isEqualTo(Decision.IMPLICIT_DENY);
        Principal denying = alice.withSession(session(null, policy("""
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},
                {"Effect":"Deny","Action":"ecr:PutImage","Resource":"*"}]}""")));
        assertThat(decide(denying, "ecr:PutImage", 0, ECR_ALL, null)).isEqualTo(Decision.EXPLICIT_DENY);
    }

    @Test
    void mfaKeysComeFromTheSession() {
        PolicyDocument needsMfa = policy("""
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecr:PutImage","Resource":"*",
                "Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"},"NumericLessThan":{"aws:MultiFactorAuthAge":"300"}}}]}""");
        Principal alice = Principal.user(ACCT, "alice");
        assertThat(decide(alice, "ecr:PutImage", 0, needsMfa, null)).as("long-term key").isEqualTo(Decision.IMPLICIT_DENY);
        assertThat(decide(alice.withSession(session(null, null)), "ecr:PutImage", 0, needsMfa, null))
                .isEqualTo(Decision.IMPLICIT_DENY);
        Principal mfa = alice.withSession(session(T, null));
        assertThat(decide(mfa, "ecr:PutImage", 299, needsMfa, null)).isEqualTo(Decision.ALLOW);
        assertThat(decide(mfa, "ecr:PutImage", 300, needsMfa, null)).isEqualTo(Decision.IMPLICIT_DENY);

        PolicyDocument denyWithoutMfa = policy("""
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecr:*","Resource":"*"},
                {"Effect":"Deny","Action":"ecr:PutImage","Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}]}""");
        assertThat(decide(alice, "ecr:PutImage", 0, denyWithoutMfa, null)).isEqualTo(Decision.EXPLICIT_DENY);
        assertThat(decide(alice.withSession(session(null, null)), "ecr:PutImage", 0, denyWithoutMfa, null))
                .isEqualTo(Decision.EXPLICIT_DENY);
        assertThat(decide(mfa, "ecr:PutImage", 0, denyWithoutMfa, null)).isEqualTo(Decision.ALLOW);
    }

    @Test
    void aRoleSessionIsNamedByItsRoleInResourcePolicies() {
        Principal session = Principal.assumedRole(OTHER, "ci", "build-1", session(null, null));
        assertThat(session.roleArn()).isEqualTo("arn:aws:iam::" + OTHER + ":role/ci");
        PolicyDocument repo = policy("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
                + "{\"AWS\":\"arn:aws:iam::" + OTHER + ":role/ci\"},\"Action\":\"ecr:BatchGetImage\","
                + "\"Condition\":{\"StringEquals\":{\"aws:PrincipalType\":\"AssumedRole\","
                + "\"aws:PrincipalArn\":\"arn:aws:iam::" + OTHER + ":role/ci\"}}}]}");
        assertThat(decide(session, "ecr:BatchGetImage", 0, ECR_ALL, repo)).isEqualTo(Decision.ALLOW);
        Principal otherRole = Principal.assumedRole(OTHER, "cd", "build-1", session(null, null));
        assertThat(decide(otherRole, "ecr:BatchGetImage", 0, ECR_ALL, repo)).isEqualTo(Decision.IMPLICIT_DENY);
    }

    private static Decision trust(Principal caller, String roleAccount, PolicyDocument identity, String principal) {
        PolicyDocument trust = policy("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
                + "{\"AWS\":\"" + principal + "\"},\"Action\":\"sts:AssumeRole\"}]}");
        String role = "arn:aws:iam::" + roleAccount + ":role/r";
        return PolicyEvaluator.evaluateTrust(new AuthzRequest(caller, "sts:AssumeRole", role, roleAccount, Map.of()),
                identity == null ? List.of() : List.of(identity), trust);
    }

    @Test
    void trustPoliciesFollowIam() {
        PolicyDocument mayAssume = policy("""
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}""");
        PolicyDocument mayNot = policy("""
                {"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"sts:AssumeRole","Resource":"*"}]}""");
        Principal alice = Principal.user(ACCT, "alice");
        Principal bob = Principal.user(OTHER, "bob");
        String aliceArn = alice.arn();
        assertThat(trust(alice, ACCT, null, aliceArn)).as("named: enough in the account").isEqualTo(Decision.ALLOW);
        assertThat(trust(alice, ACCT, mayNot, aliceArn)).isEqualTo(Decision.EXPLICIT_DENY);
        assertThat(trust(alice, ACCT, null, "arn:aws:iam::" + ACCT + ":root")).as("delegated")
                .isEqualTo(Decision.IMPLICIT_DENY);
        assertThat(trust(alice, ACCT, mayAssume, "arn:aws:iam::" + ACCT + ":root")).isEqualTo(Decision.ALLOW);
        assertThat(trust(bob, ACCT, null, bob.arn())).as("cross-account needs both").isEqualTo(Decision.IMPLICIT_DENY);
        assertThat(trust(bob, ACCT, mayAssume, bob.arn())).isEqualTo(Decision.ALLOW);
        assertThat(trust(bob, ACCT, mayAssume, OTHER)).isEqualTo(Decision.ALLOW);
        assertThat(trust(bob, ACCT, mayAssume, aliceArn)).isEqualTo(Decision.IMPLICIT_DENY);
    }
}
