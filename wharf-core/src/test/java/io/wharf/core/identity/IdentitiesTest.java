package io.wharf.core.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.core.identity.IdentityException.Kind;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IdentitiesTest {
    private static final String ACCOUNT = "123456789012";
    private final Identities identities = new Identities(new InMemoryIdentityStore(), Clock.systemUTC(), new SecureRandom());

    @BeforeEach
    void setUp() {
        identities.ensureAccount(ACCOUNT);
    }

    private static void assertKind(Runnable call, Kind kind) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(IdentityException.class, e -> assertThat(e.kind()).isEqualTo(kind));
    }

    @Test
    void namesFollowIamRules() {
        identities.createUser(ACCOUNT, "ci+bot=1,x.y@z_w-v");
        assertKind(() -> identities.createUser(ACCOUNT, "a b"), Kind.INVALID_INPUT);
        assertKind(() -> identities.createUser(ACCOUNT, "x".repeat(65)), Kind.INVALID_INPUT);
        assertKind(() -> identities.createUser(ACCOUNT, "é"), Kind.INVALID_INPUT);
        assertKind(() -> identities.ensureAccount("12345"), Kind.INVALID_INPUT);
    }

    @Test
    void generatedKeysLookLikeAwsKeys() {
        AccessKey key = identities.createAccessKey(ACCOUNT, null);
        assertThat(key.id()).matches("AKIA[A-Z2-7]{16}");
        assertThat(key.secret()).matches("[A-Za-z0-9+/]{40}");
        assertThat(key.toString()).doesNotContain(key.secret());
        assertThat(key.ownerArn()).isEqualTo("arn:aws:iam::123456789012:root");
    }

    @Test
    void twoKeysPerUserAtMost() {
        identities.createUser(ACCOUNT, "ci");
        identities.createAccessKey(ACCOUNT, "ci");
        identities.createAccessKey(ACCOUNT, "ci");
        assertKind(() -> identities.createAccessKey(ACCOUNT, "ci"), Kind.LIMIT_EXCEEDED);
        assertKind(() -> identities.createAccessKey(ACCOUNT, "nobody"), Kind.NO_SUCH_ENTITY);
    }

    @Test
    void keysAreDeletedOnlyInTheirAccount() {
        AccessKey key = identities.createAccessKey(ACCOUNT, null);
        identities.ensureAccount("210987654321");
        assertKind(() -> identities.deleteAccessKey("210987654321", key.id()), Kind.NO_SUCH_ENTITY);
        identities.deleteAccessKey(ACCOUNT, key.id());
        assertKind(() -> identities.deleteAccessKey(ACCOUNT, key.id()), Kind.NO_SUCH_ENTITY);
    }

    @Test
    void keysAreDeactivatedAndReactivatedOnlyInTheirAccount() {
        identities.createUser(ACCOUNT, "ci");
        AccessKey key = identities.createAccessKey(ACCOUNT, "ci");
        identities.ensureAccount("210987654321");
        assertKind(() -> identities.setAccessKeyStatus("210987654321", key.id(), AccessKey.Status.INACTIVE),
                Kind.NO_SUCH_ENTITY);
        identities.setAccessKeyStatus(ACCOUNT, key.id(), AccessKey.Status.INACTIVE);
        assertThat(identities.listAccessKeys(ACCOUNT, "ci").getFirst().status()).isEqualTo(AccessKey.Status.INACTIVE);
        identities.setAccessKeyStatus(ACCOUNT, key.id(), AccessKey.Status.ACTIVE);
        assertThat(identities.listAccessKeys(ACCOUNT, "ci").getFirst().status()).isEqualTo(AccessKey.Status.ACTIVE);
        assertKind(() -> identities.setAccessKeyStatus(ACCOUNT, "AKIANOSUCHKEYATALL00", AccessKey.Status.ACTIVE),
                Kind.NO_SUCH_ENTITY);
    }

    @Test
    void policiesMustParse() {
        identities.createUser(ACCOUNT, "alice");
        identities.putUserPolicy(ACCOUNT, "alice", "ok",
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"ecr:*\",\"Resource\":\"*\"}]}");
        assertKind(() -> identities.putUserPolicy(ACCOUNT, "alice", "bad", "{not json"), Kind.MALFORMED_POLICY_DOCUMENT);
        assertKind(() -> identities.putUserPolicy(ACCOUNT, "alice", "bad name", "{}"), Kind.INVALID_INPUT);
        assertThat(identities.listUserPolicies(ACCOUNT, "alice")).extracting(UserPolicy::name).containsExactly("ok");
        assertKind(() -> identities.deleteUserPolicy(ACCOUNT, "alice", "missing"), Kind.NO_SUCH_ENTITY);
    }

    @Test
    void theRootKeyIsBootstrappedOnceFromTheGivenPairOrGenerated() {
        Optional<AccessKey> first = identities.bootstrapRootKey(ACCOUNT, "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
        assertThat(first).map(AccessKey::id).contains("AKIAIOSFODNN7EXAMPLE");
        assertThat(identities.bootstrapRootKey(ACCOUNT, null, null)).isEmpty();
        assertThat(identities.bootstrapRootKey("210987654321", null, null)).map(AccessKey::isRoot).contains(true);
        assertKind(() -> identities.bootstrapRootKey("111111111111", "AKIAIOSFODNN7EXAMPLE", null), Kind.INVALID_INPUT);
    }
}
