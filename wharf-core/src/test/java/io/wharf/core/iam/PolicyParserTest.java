package io.wharf.core.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class PolicyParserTest {

    /** Rows of iam/malformed.table: {@code <json> => <message fragment>}. */
    static Stream<Arguments> malformed() {
        return io.wharf.core.testing.TableFiles.logicalLines("/iam/malformed.table").values().stream().map(line -> {
            int arrow = line.indexOf(" => ");
            return Arguments.of(line.substring(0, arrow).trim(), line.substring(arrow + 4).trim());
        });
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("malformed")
    void rejectsMalformedDocumentsWithAClearMessage(String json, String fragment) {
        assertThatThrownBy(() -> PolicyDocument.parse(json))
                .isInstanceOf(PolicySyntaxException.class)
                .hasMessageContaining(fragment);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"  \n "})
    void rejectsAnEmptyDocument(String json) {
        assertThatThrownBy(() -> PolicyDocument.parse(json)).isInstanceOf(PolicySyntaxException.class)
                .hasMessage("Policy document is empty");
    }

    @Test
    void keepsTheOriginalTextVersionAndId() {
        String json = "{ \"Version\" : \"2008-10-17\", \"Id\": \"p1\",\n  \"Statement\": {\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"} }";
        PolicyDocument policy = PolicyDocument.parse(json);
        assertThat(policy.json()).isEqualTo(json);
        assertThat(policy.toString()).isEqualTo(json);
        assertThat(policy.version()).isEqualTo("2008-10-17");
        assertThat(policy.id()).isEqualTo("p1");
        assertThat(policy).isEqualTo(PolicyDocument.parse(json));
        assertThat(PolicyDocument.parse("{\"Statement\":{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\"}}").version()).isNull();
    }

    @Test
    void acceptsTheEcrDocumentationExample() {
        String json = """
                {"Version":"2012-10-17","Statement":[{"Sid":"AllowPull","Effect":"Allow",
                  "Principal":{"AWS":"arn:aws:iam::111122223333:root"},
                  "Action":["ecr:BatchGetImage","ecr:GetDownloadUrlForLayer","ecr:BatchCheckLayerAvailability"]}]}""";
        assertThat(PolicyDocument.parse(json).requireResourcePolicy().statements()).hasSize(1);
    }

    @Test
    void acceptsEveryPrincipalFormAndScalarConditionValues() {
        String json = """
                {"Statement":{"Effect":"Allow","Action":"*",
                  "Principal":{"AWS":["*","111122223333","arn:aws:iam::111122223333:user/ci/bot",
                                      "arn:aws:iam::111122223333:role/deployer","arn:aws-cn:iam::111122223333:root"],
                               "Service":"codebuild.amazonaws.com","Federated":"cognito-identity.amazonaws.com"},
                  "Condition":{"Bool":{"aws:SecureTransport":true},"NumericLessThan":{"k":3.5},
                               "stringequals":{"k":"operator names ignore case"}}}}""";
        assertThat(PolicyDocument.parse(json).statements().getFirst().conditions()).hasSize(3);
    }

    @Test
    void resourcePoliciesMustNameAPrincipal() {
        PolicyDocument noPrincipal = PolicyDocument.parse("{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"ecr:*\"}]}");
        assertThatThrownBy(noPrincipal::requireResourcePolicy).isInstanceOf(PolicySyntaxException.class)
                .hasMessage("Statement[0]: a repository or registry policy statement needs Principal or NotPrincipal");
    }

    @Test
    void identityPoliciesMustNameAResourceAndNoPrincipal() {
        PolicyDocument noResource = PolicyDocument.parse("{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"ecr:*\"}]}");
        PolicyDocument withPrincipal = PolicyDocument.parse(
                "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"ecr:*\",\"Resource\":\"*\"}]}");
        assertThatThrownBy(noResource::requireIdentityPolicy).hasMessageContaining("needs Resource or NotResource");
        assertThatThrownBy(withPrincipal::requireIdentityPolicy).hasMessageContaining("may not contain Principal");
        PolicyDocument fine = PolicyDocument.parse("{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"ecr:*\",\"NotResource\":\"*\"}]}");
        assertThat(fine.requireIdentityPolicy()).isSameAs(fine);
    }

    @Test
    void anIdentityPolicyWithoutResourceGrantsNothing() {
        PolicyDocument noResource = PolicyDocument.parse("{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"ecr:*\"}]}");
        var request = new AuthzRequest(Principal.user("123456789012", "alice"), "ecr:PutImage",
                "arn:aws:ecr:us-east-1:123456789012:repository/app");
        assertThat(PolicyEvaluator.evaluate(request, List.of(noResource), null, null)).isEqualTo(Decision.IMPLICIT_DENY);
    }
}
