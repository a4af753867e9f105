package io.wharf.server.ecr;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The AWS JSON 1.1 wire rules, over raw HTTP where the SDK would validate or hide them. */
class EcrProtocolTest extends EcrTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(HttpResponse<byte[]> res) throws Exception {
        return JSON.readTree(res.body());
    }

    @Test
    void successCarriesContentTypeRequestIdDateAndNumericTimestamps() throws Exception {
        HttpResponse<byte[]> res = raw(r, "CreateRepository", "{\"repositoryName\":\"proto/ok\"}");
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.headers().firstValue("Content-Type")).hasValue("application/x-amz-json-1.1");
        assertThat(res.headers().firstValue("x-amzn-RequestId")).hasValueSatisfying(v -> assertThat(v).hasSize(36));
        assertThat(res.headers().firstValue("Date")).hasValueSatisfying(v -> assertThat(v).endsWith("GMT"));
        JsonNode repo = json(res).get("repository");
        assertThat(repo.get("createdAt").isNumber()).isTrue();
        assertThat(repo.get("createdAt").asDouble()).isBetween(1.7e9, 1e10);
        assertThat(repo.has("imageTagMutabilityExclusionFilters")).as("absent members are omitted").isFalse();
        assertThat(body(res)).doesNotContain("null");
    }

    @Test
    void unknownOrMissingTargetIsUnknownOperationException() throws Exception {
        HttpResponse<byte[]> res = raw(r, "FlyToTheMoon", "{}");
        assertThat(res.statusCode()).isEqualTo(400);
        assertThat(json(res).get("__type").asText()).isEqualTo("UnknownOperationException");
        assertThat(res.headers().firstValue("X-Amzn-ErrorType")).hasValue("UnknownOperationException");
        HttpResponse<byte[]> none = r.send("POST", "/", "{}".getBytes(), "Content-Type", "application/x-amz-json-1.1");
        assertThat(json(none).get("__type").asText()).isEqualTo("UnknownOperationException");
    }

    @Test
    void malformedJsonAndWrongTypesAreSerializationException() throws Exception {
        assertThat(json(raw(r, "DescribeRepositories", "{not json")).get("__type").asText()).isEqualTo("SerializationException");
        assertThat(json(raw(r, "DescribeRepositories", "{\"maxResults\":\"5\"}")).get("__type").asText())
                .isEqualTo("SerializationException");
        assertThat(json(raw(r, "DescribeRepositories", "[1]")).get("__type").asText()).isEqualTo("SerializationException");
    }

    /** Each value of the wrong JSON type is refused, naming the member and the types, and nothing is created. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            CreateRepository     | {"repositoryName": 4242}                            | 'repositoryName' must be a string, not an integer
            CreateRepository     | {"repositoryName": true}                            | 'repositoryName' must be a string, not a boolean
            CreateRepository     | {"repositoryName": 12.5e3}                          | 'repositoryName' must be a string, not a number with a fraction or exponent
            CreateRepository     | {"repositoryName": ["a"]}                           | 'repositoryName' must be a string, not a list
            CreateRepository     | {"repositoryName": {"a": 1}}                        | 'repositoryName' must be a string, not a structure
            CreateRepository     | {"repositoryName": "t/a", "imageScanningConfiguration": "yes"} | 'imageScanningConfiguration' must be a structure, not a string
            CreateRepository     | {"repositoryName": "t/a", "imageScanningConfiguration": {"scanOnPush": "true"}} | 'imageScanningConfiguration.scanOnPush' must be a boolean, not a string
            CreateRepository     | {"repositoryName": "t/a", "imageScanningConfiguration": {"scanOnPush": 1}} | 'imageScanningConfiguration.scanOnPush' must be a boolean, not an integer
            CreateRepository     | {"repositoryName": "t/a", "tags": {"Key": "k"}}    | 'tags' must be a list, not a structure
            CreateRepository     | {"repositoryName": "t/a", "tags": [{"Key": 1, "Value": "v"}]} | 'tags[0].Key' must be a string, not an integer
            DescribeRepositories | {"maxResults": 1.9}                                 | 'maxResults' must be an integer, not a number with a fraction or exponent
            DescribeRepositories | {"maxResults": "5"}                                 | 'maxResults' must be an integer, not a string
            DescribeRepositories | {"maxResults": ""}                                  | 'maxResults' must be an integer, not a string
            DescribeRepositories | {"maxResults": true}                                | 'maxResults' must be an integer, not a boolean
            DescribeRepositories | {"maxResults": 99999999999}                         | 'maxResults' is out of range for an integer
            DescribeRepositories | {"repositoryNames": "t/a"}                          | 'repositoryNames' must be a list, not a string
            DescribeRepositories | {"repositoryNames": ["t/a", 7]}                     | 'repositoryNames[1]' must be a string, not an integer
            DeleteRepository     | {"repositoryName": "t/a", "force": "true"}          | 'force' must be a boolean, not a string
            ListImages           | {"repositoryName": "t/a", "filter": {"tagStatus": 5}} | 'filter.tagStatus' must be a string, not an integer
            """)
    void wrongTypesAreSerializationExceptionNamingTheMember(String operation, String body, String message) throws Exception {
        HttpResponse<byte[]> res = raw(r, operation, body);
        assertThat(res.statusCode()).isEqualTo(400);
        assertThat(json(res).get("__type").asText()).isEqualTo("SerializationException");
        assertThat(json(res).get("message").asText()).isEqualTo("Value of member " + message);
        assertThat(json(raw(r, "DescribeRepositories", "{}")).get("repositories").toString())
                .doesNotContain("4242", "true", "12500");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{not json", "[1]", "\"text\"", "5", "{} {}", "{\"repositoryName\": \"t/a\"} []",
            "{\"repositoryNames\": [}", "{\"maxResults\": 5,}", "nul"})
    void noSerializationMessageNamesJavaClasses(String body) throws Exception {
        JsonNode res = json(raw(r, "DescribeRepositories", body));
        assertThat(res.get("__type").asText()).isEqualTo("SerializationException");
        assertThat(res.get("message").asText()).doesNotContainIgnoringCase("java").doesNotContain("jackson", "io.wharf",
                "class", "Request", "`", "$");
    }

    /** Documents inside the request (policies, manifests) that are not JSON: the reason without parser internals. */
    @ParameterizedTest
    @ValueSource(strings = {"{", "{\"a\":", "[1,", "nul", "{\"a\" 1}"})
    void brokenEmbeddedJsonIsDescribedWithoutParserInternals(String text) throws Exception {
        raw(r, "CreateRepository", "{\"repositoryName\":\"proto/embedded\"}");
        String quoted = JSON.writeValueAsString(" ".repeat(100) + text); // lifecycle policies have 100 characters at least
        for (String call : new String[] {
                "SetRepositoryPolicy|{\"repositoryName\":\"proto/embedded\",\"policyText\":" + quoted + "}",
                "PutLifecyclePolicy|{\"repositoryName\":\"proto/embedded\",\"lifecyclePolicyText\":" + quoted + "}",
                "PutImage|{\"repositoryName\":\"proto/embedded\",\"imageManifest\":" + quoted + "}"}) {
            String[] op = call.split("\\|", 2);
            JsonNode res = json(raw(r, op[0], op[1]));
            assertThat(res.get("__type").asText()).as(call).isEqualTo("InvalidParameterException");
            assertThat(res.get("message").asText()).as(call).contains("at line 1, column")
                    .doesNotContain("Source", "StreamReadFeature", "REDACTED", "`", "java", "jackson");
        }
    }

    @Test
    void emptyBodyIsAnEmptyInput() throws Exception {
        HttpResponse<byte[]> res = raw(r, "DescribeRepositories", "");
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(json(res).has("repositories")).isTrue();
    }

    @Test
    void modelConstraintsAreInvalidParameterExceptionInEcrWording() throws Exception {
        JsonNode name = json(raw(r, "CreateRepository", "{\"repositoryName\":\"Bad_Name\"}"));
        assertThat(name.get("__type").asText()).isEqualTo("InvalidParameterException");
        assertThat(name.get("message").asText()).startsWith("Invalid parameter at 'repositoryName' failed to satisfy "
                + "constraint: 'must satisfy regular expression");
        JsonNode max = json(raw(r, "DescribeRepositories", "{\"maxResults\":1001}"));
        assertThat(max.get("message").asText()).isEqualTo("Invalid parameter at 'maxResults' failed to satisfy "
                + "constraint: 'Member must have value less than or equal to 1000'");
        JsonNode missing = json(raw(r, "CreateRepository", "{}"));
        assertThat(missing.get("message").asText()).contains("'repositoryName'").contains("Member must not be null");
        JsonNode shortName = json(raw(r, "CreateRepository", "{\"repositoryName\":\"a\"}"));
        assertThat(shortName.get("message").asText()).contains("Member must have length greater than or equal to 2");
        JsonNode registry = json(raw(r, "DescribeRepositories", "{\"registryId\":\"12\"}"));
        assertThat(registry.get("__type").asText()).isEqualTo("InvalidParameterException");
        JsonNode mode = json(raw(r, "CreateRepository", "{\"repositoryName\":\"ab\",\"imageTagMutability\":\"SOMETIMES\"}"));
        assertThat(mode.get("message").asText()).contains("Member must satisfy enum value set");
    }

    @Test
    void pagingMembersAreRefusedBesideExplicitIds() throws Exception {
        JsonNode res = json(raw(r, "DescribeRepositories", "{\"repositoryNames\":[\"proto/ok\"],\"maxResults\":5}"));
        assertThat(res.get("__type").asText()).isEqualTo("InvalidParameterException");
        JsonNode token = json(raw(r, "DescribeRepositories", "{\"nextToken\":\"garbage!\"}"));
        assertThat(token.get("__type").asText()).isEqualTo("InvalidParameterException");
    }

    @Test
    void bodiesOverTheLimitAreRefusedWith413() throws Exception {
        byte[] big = new byte[(32 << 20) + 10];
        java.util.Arrays.fill(big, (byte) ' ');
        HttpResponse<byte[]> res = r.send("POST", "/", big, "Content-Type", "application/x-amz-json-1.1",
                "X-Amz-Target", "AmazonEC2ContainerRegistry_V20150921.DescribeRepositories");
        assertThat(res.statusCode()).isEqualTo(413);
        assertThat(json(res).get("__type").asText()).isEqualTo("RequestEntityTooLargeException");
    }

    @Test
    void otherMethodsAndPathsAreNotTheEcrApi() throws Exception {
        assertThat(r.get("/").statusCode()).isEqualTo(404);
        assertThat(r.get("/v2/").statusCode()).isEqualTo(200);
    }
}
