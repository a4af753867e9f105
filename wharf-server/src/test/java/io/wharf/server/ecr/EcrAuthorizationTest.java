package io.wharf.server.ecr;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.core.iam.Principal;
import io.wharf.core.service.Quotas;
import io.wharf.core.service.RegistryLimits;
import io.wharf.server.auth.Auth;
import io.wharf.server.auth.AuthException;
import io.wharf.server.auth.RegistryToken;
import io.wharf.server.oci.TestRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the ECR handler asks of the auth layer: SigV4 over the exact request, then {@code ecr:<Operation>}
 * on the operation's resource; and how it renders refusals. A recording Auth stands in for IAM.
 */
class EcrAuthorizationTest {
    private static final String OTHER = "111122223333";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Recorder AUTH = new Recorder();
    private static TestRegistry r;

    /** Records every authorization; refuses callers whose access key is "UNKNOWN" and the action "ecr:DeleteRepository". */
    static final class Recorder implements Auth {
        final List<String> checks = new CopyOnWriteArrayList<>();

        @Override
        public AwsSignature beginAws(String method, String rawPath, String rawQuery, Map<String, List<String>> headers) {
            if (headers.getOrDefault("authorization", List.of("")).getFirst().contains("UNKNOWN")) {
                throw new AuthException(AuthException.Kind.UNRECOGNIZED_CLIENT, "The security token included in the request is invalid.");
            }
            return body -> Principal.user(TestRegistry.ACCOUNT, "ci");
        }

        @Override
        public Principal authenticateRegistry(String header) {
            return Principal.root(TestRegistry.ACCOUNT);
        }

        @Override
        public void authorize(Principal principal, String action, String resourceArn, String sourceIp) {
            checks.add(action + " " + resourceArn);
            if (action.equals("ecr:DeleteRepository")) {
                throw AuthException.accessDenied(principal.arn(), action, resourceArn);
            }
        }

        @Override
        public RegistryToken issueRegistryToken(Principal principal) {
            return new RegistryToken("token-of-" + principal.arn(), Instant.now().plusSeconds(43_200));
        }
    }

    @BeforeAll
    static void start() throws Exception {
        r = new TestRegistry(RegistryLimits.defaults(), Quotas.defaults(), true, AUTH);
    }

    @AfterAll
    static void stop() throws Exception {
        r.close();
    }

    @BeforeEach
    void reset() {
        AUTH.checks.clear();
    }

    private static String arn(String account, String name) {
        return "arn:aws:ecr:us-east-1:" + account + ":repository/" + name;
    }

    @Test
    void repositoryOperationsAreAuthorizedOnTheRepositoryArn() throws Exception {
        EcrTest.raw(r, "CreateRepository", "{\"repositoryName\":\"authz/app\"}");
        EcrTest.raw(r, "ListImages", "{\"repositoryName\":\"authz/app\"}");
        assertThat(AUTH.checks).containsExactly("ecr:CreateRepository " + arn(TestRegistry.ACCOUNT, "authz/app"),
                "ecr:ListImages " + arn(TestRegistry.ACCOUNT, "authz/app"));
    }

    @Test
    void registryIdNamesTheAccountWhoseArnIsAuthorized() throws Exception {
        EcrTest.raw(r, "DescribeImages", "{\"registryId\":\"" + OTHER + "\",\"repositoryName\":\"theirs\"}");
        assertThat(AUTH.checks).containsExactly("ecr:DescribeImages " + arn(OTHER, "theirs"));
    }

    @Test
    void registryLevelAndListingOperationsUseTheirOwnResources() throws Exception {
        EcrTest.raw(r, "GetAuthorizationToken", "{}");
        EcrTest.raw(r, "DescribeRepositories", "{}");
        EcrTest.raw(r, "DescribeRepositories", "{\"repositoryNames\":[\"a1\",\"b2\"]}");
        EcrTest.raw(r, "ListTagsForResource", "{\"resourceArn\":\"" + arn(OTHER, "x/y") + "\"}");
        assertThat(AUTH.checks).containsExactly("ecr:GetAuthorizationToken *",
                "ecr:DescribeRepositories " + arn(TestRegistry.ACCOUNT, "*"),
                "ecr:DescribeRepositories " + arn(TestRegistry.ACCOUNT, "a1"),
                "ecr:DescribeRepositories " + arn(TestRegistry.ACCOUNT, "b2"),
                "ecr:ListTagsForResource " + arn(OTHER, "x/y"));
    }

    @Test
    void refusalsAreRenderedAsTheirAwsTypes() throws Exception {
        var denied = EcrTest.raw(r, "DeleteRepository", "{\"repositoryName\":\"authz/app\"}");
        assertThat(denied.statusCode()).isEqualTo(400);
        var body = JSON.readTree(denied.body());
        assertThat(body.get("__type").asText()).isEqualTo("AccessDeniedException");
        assertThat(body.get("message").asText()).isEqualTo("User: arn:aws:iam::" + TestRegistry.ACCOUNT
                + ":user/ci is not authorized to perform: ecr:DeleteRepository on resource: " + arn(TestRegistry.ACCOUNT, "authz/app"));
        var unknown = r.send("POST", "/", "{}".getBytes(), "Content-Type", "application/x-amz-json-1.1",
                "X-Amz-Target", "AmazonEC2ContainerRegistry_V20150921.DescribeRepositories",
                "Authorization", "AWS4-HMAC-SHA256 Credential=UNKNOWN/20250101/us-east-1/ecr/aws4_request");
        assertThat(JSON.readTree(unknown.body()).get("__type").asText()).isEqualTo("UnrecognizedClientException");
        assertThat(AUTH.checks).containsExactly("ecr:DeleteRepository " + arn(TestRegistry.ACCOUNT, "authz/app"));
    }

    @Test
    void tokensComeFromTheAuthLayer() throws Exception {
        var res = JSON.readTree(EcrTest.raw(r, "GetAuthorizationToken", "{}").body());
        String token = res.get("authorizationData").get(0).get("authorizationToken").asText();
        assertThat(new String(java.util.Base64.getDecoder().decode(token)))
                .isEqualTo("AWS:token-of-arn:aws:iam::" + TestRegistry.ACCOUNT + ":user/ci");
        assertThat(res.get("authorizationData").get(0).get("expiresAt").isNumber()).isTrue();
    }
}
