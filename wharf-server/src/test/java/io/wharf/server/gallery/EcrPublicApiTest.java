package io.wharf.server.gallery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ECR Public subset through the real wiring (IAM on, SQLite), requests signed by the AWS SDK's SigV4 signer for
 * {@code ecr-public} (the SDK's {@code ecrpublic} client is not on Maven Central's mirror here).
 */
class EcrPublicApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13, 'I', 'H', 'D', 'R'};

    @TempDir
    Path data;
    private PublicServer server;

    @BeforeEach
    void start() throws Exception {
        server = new PublicServer(data, true);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    private JsonNode ok(String operation, String body) throws Exception {
        HttpResponse<String> r = server.ecrPublic(operation, body);
        assertThat(r.statusCode()).as(operation + ": " + r.body()).isEqualTo(200);
        return json(r);
    }

    private static void assertError(HttpResponse<String> r, String type) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(json(r).get("__type").asText()).isEqualTo(type);
    }

    @Test
    void createDescribeCatalogDataAndDelete() throws Exception {
        String logo = Base64.getEncoder().encodeToString(PNG);
        JsonNode created = ok("CreateRepository", """
                {"repositoryName":"team/web","catalogData":{"description":"A web server","architectures":["x86-64","ARM 64"],
                 "operatingSystems":["Linux"],"aboutText":"# About","usageText":"docker pull it","logoImageBlob":"%s"},
                 "tags":[{"Key":"team","Value":"web"}]}""".formatted(logo));
        String host = "127.0.0.1:" + server.port();
        assertThat(created.at("/repository/repositoryArn").asText()).isEqualTo("arn:aws:ecr-public::000000000000:repository/team/web");
        assertThat(created.at("/repository/repositoryUri").asText()).isEqualTo(host + "/team/web");
        assertThat(created.at("/repository/createdAt").isNumber()).isTrue();
        assertThat(created.at("/catalogData/logoUrl").asText()).isEqualTo("http://" + host + "/wharf/v1/gallery/logo/team/web");
        assertError(server.ecrPublic("CreateRepository", "{\"repositoryName\":\"team/web\"}"), "RepositoryAlreadyExistsException");

        // a repository of the registry that is not public does not exist in ECR Public's eyes
        server.push("team/private", "v1");
        JsonNode described = ok("DescribeRepositories", "{}");
        assertThat(described.get("repositories")).hasSize(1);
        assertThat(described.at("/repositories/0/repositoryName").asText()).isEqualTo("team/web");
        assertThat(described.has("nextToken")).isFalse();
        assertError(server.ecrPublic("DescribeRepositories", "{\"repositoryNames\":[\"team/private\"]}"),
                "RepositoryNotFoundException");
        assertError(server.ecrPublic("GetRepositoryCatalogData", "{\"repositoryName\":\"team/private\"}"),
                "RepositoryNotFoundException");
        assertError(server.ecrPublic("DeleteRepository", "{\"repositoryName\":\"team/private\"}"),
                "RepositoryNotFoundException");

        JsonNode catalog = ok("GetRepositoryCatalogData", "{\"repositoryName\":\"team/web\"}").get("catalogData");
        assertThat(catalog.get("description").asText()).isEqualTo("A web server");
        assertThat(catalog.get("architectures").toString()).isEqualTo("[\"x86-64\",\"ARM 64\"]");
        HttpResponse<String> logoGet = server.get("/wharf/v1/gallery/logo/team/web");
        assertThat(logoGet.statusCode()).isEqualTo(200);
        assertThat(logoGet.headers().firstValue("Content-Type")).contains("image/png");

        JsonNode put = ok("PutRepositoryCatalogData", "{\"repositoryName\":\"team/web\",\"catalogData\":{\"description\":\"new\"}}");
        assertThat(put.at("/catalogData/description").asText()).isEqualTo("new");
        assertThat(put.at("/catalogData/architectures")).isEmpty();
        assertThat(server.get("/wharf/v1/gallery/logo/team/web").statusCode()).isEqualTo(404);

        ok("DeleteRepository", "{\"repositoryName\":\"team/web\"}");
        assertThat(ok("DescribeRepositories", "{}").get("repositories")).isEmpty();
    }

    @Test
    void describeRepositoriesPagesWithNextToken() throws Exception {
        for (String name : new String[] {"a/one", "b/two", "c/three"}) {
            ok("CreateRepository", "{\"repositoryName\":\"" + name + "\"}");
        }
        JsonNode first = ok("DescribeRepositories", "{\"maxResults\":2}");
        assertThat(first.get("repositories")).extracting(r -> r.get("repositoryName").asText()).containsExactly("a/one", "b/two");
        JsonNode second = ok("DescribeRepositories", "{\"maxResults\":2,\"nextToken\":\"" + first.get("nextToken").asText() + "\"}");
        assertThat(second.get("repositories")).extracting(r -> r.get("repositoryName").asText()).containsExactly("c/three");
        assertThat(second.has("nextToken")).isFalse();
        assertError(server.ecrPublic("DescribeRepositories", "{\"maxResults\":1001}"), "InvalidParameterException");
        assertError(server.ecrPublic("DescribeRepositories", "{\"nextToken\":\"!!\"}"), "InvalidParameterException");
        assertError(server.ecrPublic("DescribeRepositories", "{\"repositoryNames\":[\"a/one\"],\"maxResults\":1}"),
                "InvalidParameterException");
    }

    @Test
    void badCatalogDataIsRefusedInEcrWords() throws Exception {
        assertError(server.ecrPublic("CreateRepository", "{\"repositoryName\":\"a/b\",\"catalogData\":{\"description\":\""
                + "x".repeat(1025) + "\"}}"), "InvalidParameterException");
        assertError(server.ecrPublic("CreateRepository", "{\"repositoryName\":\"a/b\",\"catalogData\":{\"logoImageBlob\":\""
                + Base64.getEncoder().encodeToString("GIF89a-not-allowed".getBytes(StandardCharsets.UTF_8)) + "\"}}"),
                "InvalidParameterException");
        assertError(server.ecrPublic("CreateRepository", "{\"repositoryName\":\"a/b\",\"catalogData\":{\"logoImageBlob\":\"%%%\"}}"),
                "InvalidParameterException");
        assertError(server.ecrPublic("CreateRepository", "{\"repositoryName\":\"Bad Name\"}"), "InvalidParameterException");
        assertError(server.ecrPublic("NoSuchOperation", "{}"), "UnknownOperationException");
        assertThat(ok("DescribeRepositories", "{}").get("repositories")).isEmpty();
    }

    @Test
    void theTokenPullsAndPushesOnThisEndpoint() throws Exception {
        ok("CreateRepository", "{\"repositoryName\":\"tools/cli\"}");
        JsonNode token = ok("GetAuthorizationToken", "{}").get("authorizationData");
        assertThat(token.get("expiresAt").isNumber()).isTrue();
        String basic = "Basic " + token.get("authorizationToken").asText();
        assertThat(server.send("POST", "/v2/tools/cli/blobs/uploads/", basic, null, null).statusCode()).isEqualTo(202);
        assertThat(server.send("GET", "/v2/tools/cli/tags/list", basic, null, null).statusCode()).isEqualTo(200);
        assertThat(server.get("/v2/tools/cli/tags/list").statusCode()).as("anonymous: it is public").isEqualTo(200);
        JsonNode registries = ok("DescribeRegistries", "{}");
        assertThat(registries.at("/registries/0/registryId").asText()).isEqualTo("000000000000");
        assertThat(registries.at("/registries/0/registryUri").asText()).isEqualTo("127.0.0.1:" + server.port());
    }

    @Test
    void ecrPublicActionsAreAuthorizedOnEcrPublicArns() throws Exception {
        String[] ecrOnly = server.userKeys("ecr-only", """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecr:*","Resource":"*"}]}""");
        HttpResponse<String> denied = server.ecrPublic("CreateRepository", "{\"repositoryName\":\"x/y\"}", ecrOnly[0], ecrOnly[1]);
        assertError(denied, "AccessDeniedException");
        assertThat(json(denied).get("message").asText()).contains("ecr-public:CreateRepository")
                .contains("arn:aws:ecr-public::000000000000:repository/x/y");
        String[] scoped = server.userKeys("scoped", """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecr-public:*",
                 "Resource":"arn:aws:ecr-public::000000000000:repository/x/*"}]}""");
        assertThat(server.ecrPublic("CreateRepository", "{\"repositoryName\":\"x/y\"}", scoped[0], scoped[1]).statusCode())
                .isEqualTo(200);
        assertError(server.ecrPublic("CreateRepository", "{\"repositoryName\":\"z/y\"}", scoped[0], scoped[1]),
                "AccessDeniedException");
        // an ECR signature (signing name "ecr") is not one for ECR Public
        HttpResponse<String> wrongService = server.signed("ecr", "DescribeRepositories", "{}", PublicServer.ROOT_ID,
                PublicServer.ROOT_SECRET);
        assertThat(wrongService.statusCode()).isEqualTo(400);
        assertThat(json(wrongService).get("__type").asText()).isEqualTo("InvalidSignatureException");
    }
}
