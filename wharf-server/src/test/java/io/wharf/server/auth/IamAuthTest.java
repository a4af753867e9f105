package io.wharf.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.core.iam.PolicyDocument;
import io.wharf.core.iam.Principal;
import io.wharf.core.identity.Identities;
import io.wharf.core.identity.InMemoryIdentityStore;
import io.wharf.core.testing.ManualClock;
import io.wharf.server.auth.AuthException.Kind;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IamAuthTest {
    static final String ACCOUNT = "123456789012";
    static final String REPO = "arn:aws:ecr:us-east-1:123456789012:repository/team/app";
    static final String PULL = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow",
             "Action":["ecr:BatchGetImage","ecr:GetDownloadUrlForLayer"],"Resource":"arn:aws:ecr:*:*:repository/team/*"}]}""";
    static final String DENY_FROM_NET = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"ecr:*","Resource":"*",
             "Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}]}""";

    private final ManualClock clock = new ManualClock(Instant.parse("2025-03-01T10:00:00Z"));
    private final Identities identities = new Identities(new InMemoryIdentityStore(), clock, new SecureRandom());
    private final Map<String, PolicyDocument> repositoryPolicies = new HashMap<>();
    private final RegistryTokens tokens = new RegistryTokens(new byte[32], clock);
    private IamAuth auth;

    @BeforeEach
    void setUp() {
        identities.ensureAccount(ACCOUNT);
        identities.createUser(ACCOUNT, "alice");
        ResourcePolicies resources = new ResourcePolicies() {
            @Override
            public PolicyDocument repositoryPolicy(String account, String repositoryName) {
                return repositoryPolicies.get(account + "/" + repositoryName);
            }

            @Override
            public PolicyDocument registryPolicy(String account) {
                return null;
            }
        };
        auth = new IamAuth(identities.store(), tokens, resources, clock, Duration.ofSeconds(15));
    }

    @Test
    void theConsoleTakesRegistryPasswordsOfLongTermCredentialsOnly() {
        RegistryToken plain = tokens.issue(alice());
        Auth.PasswordCredential signedIn = auth.authenticatePassword(plain.password());
        assertThat(signedIn.principal()).isEqualTo(alice());
        assertThat(signedIn.expiresAt()).isEqualTo(plain.expiresAt());
        RegistryToken ofSession = tokens.issue(alice(), clock.instant().plus(Duration.ofHours(1)), "sealed-session");
        assertThatThrownBy(() -> auth.authenticatePassword(ofSession.password()))
                .as("a session's policy and MFA facts would be lost in a console session")
                .isInstanceOfSatisfying(AuthException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNRECOGNIZED_CLIENT));
    }

    private static Principal alice() {
        return Principal.user(ACCOUNT, "alice");
    }

    @Test
    void theRootMayDoAnythingInItsAccount() {
        assertThatCode(() -> auth.authorize(Principal.root(ACCOUNT), "ecr:PutImage", REPO, "127.0.0.1")).doesNotThrowAnyException();
    }

    @Test
    void aUserWithoutPoliciesMayDoNothing() {
        assertThatThrownBy(() -> auth.authorize(alice(), "ecr:BatchGetImage", REPO, "127.0.0.1"))
                .isInstanceOfSatisfying(AuthException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.ACCESS_DENIED);
                    assertThat(e.awsType()).isEqualTo("AccessDeniedException");
                    assertThat(e.getMessage()).isEqualTo("User: arn:aws:iam::123456789012:user/alice is not authorized"
                            + " to perform: ecr:BatchGetImage on resource: " + REPO);
                });
    }

    @Test
    void identityPoliciesAllowAndDenyWithConditions() {
        identities.putUserPolicy(ACCOUNT, "alice", "pull", PULL);
        assertThatCode(() -> auth.authorize(alice(), "ecr:BatchGetImage", REPO, "192.0.2.1")).doesNotThrowAnyException();
        assertThatThrownBy(() -> auth.authorize(alice(), "ecr:PutImage", REPO, "192.0.2.1")).isInstanceOf(AuthException.class);
        identities.putUserPolicy(ACCOUNT, "alice", "no-internal", DENY_FROM_NET);
        clock.advance(Duration.ofSeconds(16)); // past the cache
        assertThatThrownBy(() -> auth.authorize(alice(), "ecr:BatchGetImage", REPO, "10.1.2.3")).isInstanceOf(AuthException.class);
        assertThatCode(() -> auth.authorize(alice(), "ecr:BatchGetImage", REPO, "192.0.2.1")).doesNotThrowAnyException();
    }

    @Test
    void aChangeThisProcessMadeDropsTheCachedPoliciesAtOnce() {
        identities.putUserPolicy(ACCOUNT, "alice", "pull", PULL);
        assertThatCode(() -> auth.authorize(alice(), "ecr:BatchGetImage", REPO, "192.0.2.1")).doesNotThrowAnyException();
        assertThat(auth.identityStore()).isSameAs(identities.store());
        identities.deleteUserPolicy(ACCOUNT, "alice", "pull");
        assertThatCode(() -> auth.authorize(alice(), "ecr:BatchGetImage", REPO, "192.0.2.1"))
                .as("cached for up to the TTL").doesNotThrowAnyException();
        auth.identitiesChanged();
        assertThatThrownBy(() -> auth.authorize(alice(), "ecr:BatchGetImage", REPO, "192.0.2.1"))
                .isInstanceOf(AuthException.class);
    }

    @Test
    void aRepositoryPolicyCanGrantOrDeny() {
        repositoryPolicies.put(ACCOUNT + "/team/app", PolicyDocument.parse("""
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/alice"},
                 "Action":"ecr:PutImage"}]}"""));
        assertThatCode(() -> auth.authorize(alice(), "ecr:PutImage", REPO, null)).doesNotThrowAnyException();
        identities.putUserPolicy(ACCOUNT, "alice", "pull", PULL);
        repositoryPolicies.put(ACCOUNT + "/team/app", PolicyDocument.parse("""
                {"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"ecr:BatchGetImage"}]}"""));
        assertThatThrownBy(() -> auth.authorize(alice(), "ecr:BatchGetImage", REPO, null)).isInstanceOf(AuthException.class);
    }

    @Test
    void registryTokensAuthenticateUntilTheUserIsGone() {
        String header = "Basic " + auth.issueRegistryToken(alice()).authorizationToken();
        assertThat(auth.authenticateRegistry(header)).isEqualTo(alice());
        identities.deleteUser(ACCOUNT, "alice");
        assertThat(auth.authenticateRegistry(header)).isEqualTo(alice()); // cached for the TTL
        clock.advance(Duration.ofSeconds(15));
        assertThatThrownBy(() -> auth.authenticateRegistry(header))
                .isInstanceOfSatisfying(AuthException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNRECOGNIZED_CLIENT));
    }

    @Test
    void registryCredentialsMustBeBasicAwsWithAToken() {
        String token = auth.issueRegistryToken(alice()).password();
        String wrongUser = "Basic " + java.util.Base64.getEncoder().encodeToString(("alice:" + token).getBytes());
        for (String header : new String[] {"Bearer " + token, wrongUser, "Basic !!!", "Basic "
                + java.util.Base64.getEncoder().encodeToString("AWS:nope".getBytes())}) {
            assertThatThrownBy(() -> auth.authenticateRegistry(header)).as(header)
                    .isInstanceOfSatisfying(AuthException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNRECOGNIZED_CLIENT));
        }
        assertThatThrownBy(() -> auth.authenticateRegistry(null))
                .isInstanceOfSatisfying(AuthException.class, e -> assertThat(e.kind()).isEqualTo(Kind.MISSING));
    }

    @Test
    void repositoryNamesComeFromRepositoryArnsOnly() {
        assertThat(IamAuth.repositoryName(REPO)).isEqualTo("team/app");
        assertThat(IamAuth.repositoryName("arn:aws:ecr:us-east-1:123456789012:repository/*")).isNull();
        assertThat(IamAuth.repositoryName("*")).isNull();
    }

    @Test
    void theConsolesKeySignInAcceptsOnlyAnActiveKeyWithItsSecretAndALiveOwner() {
        var key = identities.createAccessKey(ACCOUNT, "alice");
        assertThat(auth.authenticateKey(key.id(), key.secret())).isEqualTo(alice());
        assertThat(auth.authenticateKey(" " + key.id() + " ", key.secret() + "\n")).as("pasted with spaces").isEqualTo(alice());
        for (String[] wrong : new String[][] {{key.id(), key.secret() + "x"}, {key.id(), ""}, {"AKIANOSUCHKEY0000000", key.secret()},
                {null, key.secret()}, {key.id(), null}}) {
            assertThatThrownBy(() -> auth.authenticateKey(wrong[0], wrong[1]))
                    .isInstanceOfSatisfying(AuthException.class, e -> {
                        assertThat(e.kind()).isEqualTo(Kind.UNRECOGNIZED_CLIENT);
                        assertThat(e.getMessage()).isEqualTo("the access key or its secret is not valid");
                    });
        }
        identities.store().setAccessKeyStatus(key.id(), io.wharf.core.identity.AccessKey.Status.INACTIVE);
        assertThatThrownBy(() -> auth.authenticateKey(key.id(), key.secret())).isInstanceOf(AuthException.class);
        identities.store().setAccessKeyStatus(key.id(), io.wharf.core.identity.AccessKey.Status.ACTIVE);
        identities.deleteUser(ACCOUNT, "alice");
        assertThatThrownBy(() -> auth.authenticateKey(key.id(), key.secret())).isInstanceOf(AuthException.class);
    }
}
