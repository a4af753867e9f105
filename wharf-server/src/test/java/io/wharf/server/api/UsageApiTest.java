package io.wharf.server.api;

import static io.wharf.server.api.ApiServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.server.oci.Fixtures;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /wharf/v1/usage} and {@code /wharf/v1/repositories/<name>/usage} on a real server with authentication on. */
class UsageApiTest {
    private static final String REPOSITORY_ARN = "arn:aws:ecr:us-east-1:" + ApiServer.ACCOUNT + ":repository/";
    private static final byte[] LAYER = Fixtures.randomBytes(3000);
    private static final byte[] APP_CONFIG = "{\"os\":\"linux\",\"app\":1}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] OTHER_CONFIG = "{\"os\":\"linux\",\"other\":22}".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path data;
    private ApiServer server;
    private byte[] appManifest;

    @BeforeEach
    void start() throws Exception {
        server = new ApiServer(data);
        appManifest = push("team/app", "v1", APP_CONFIG);
        push("team/other", "latest", OTHER_CONFIG); // the layer is shared: pushed to both
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private byte[] push(String repository, String tag, byte[] config) throws Exception {
        for (byte[] blob : new byte[][] {config, LAYER}) {
            HttpResponse<String> r = server.send("POST", "/v2/" + repository + "/blobs/uploads/?digest="
                    + Fixtures.digest(blob), server.root(), BodyPublishers.ofByteArray(blob), "application/octet-stream");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        }
        byte[] manifest = Fixtures.manifest(config, LAYER);
        HttpResponse<String> r = server.send("PUT", "/v2/" + repository + "/manifests/" + tag, server.root(),
                BodyPublishers.ofByteArray(manifest), Fixtures.OCI_MANIFEST);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return manifest;
    }

    private JsonNode get(String path, String authorization, int status) throws Exception {
        HttpResponse<String> r = server.send("GET", path, authorization);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
        return json(r);
    }

    @Test
    void aRepositorysUsageCountsSharedBlobsButNotAsExclusive() throws Exception {
        JsonNode app = get("/wharf/v1/repositories/team/app/usage", server.root(), 200);
        assertThat(app.get("name").asText()).isEqualTo("team/app");
        assertThat(app.get("images").asLong()).isEqualTo(1);
        assertThat(app.get("tags").asLong()).isEqualTo(1);
        assertThat(app.get("manifestBytes").asLong()).isEqualTo(appManifest.length);
        assertThat(app.get("blobs").asLong()).isEqualTo(2);
        assertThat(app.get("blobBytes").asLong()).isEqualTo(APP_CONFIG.length + LAYER.length);
        assertThat(app.get("exclusiveBytes").asLong()).as("the layer is shared").isEqualTo(APP_CONFIG.length);
    }

    @Test
    void theTotalAndThePagesOfRepositories() throws Exception {
        JsonNode all = get("/wharf/v1/usage", server.root(), 200);
        JsonNode registry = all.get("registry");
        assertThat(registry.get("repositories").asLong()).isEqualTo(2);
        assertThat(registry.get("images").asLong()).isEqualTo(2);
        assertThat(registry.get("blobs").asLong()).as("the shared layer is stored once").isEqualTo(3);
        assertThat(registry.get("blobBytes").asLong()).isEqualTo(APP_CONFIG.length + OTHER_CONFIG.length + LAYER.length);
        assertThat(registry.get("unlinkedBlobs").asLong()).isZero();
        assertThat(all.get("repositories").findValuesAsText("name")).containsExactly("team/app", "team/other");
        assertThat(all.has("nextToken")).isFalse();

        JsonNode first = get("/wharf/v1/usage?maxResults=1", server.root(), 200);
        assertThat(first.get("repositories").findValuesAsText("name")).containsExactly("team/app");
        String token = first.get("nextToken").asText();
        JsonNode second = get("/wharf/v1/usage?maxResults=1&nextToken=" + token, server.root(), 200);
        assertThat(second.get("repositories").findValuesAsText("name")).containsExactly("team/other");
        assertThat(second.has("nextToken")).isFalse();
        com.fasterxml.jackson.databind.node.ObjectNode one = (com.fasterxml.jackson.databind.node.ObjectNode)
                get("/wharf/v1/repositories/team/other/usage", server.root(), 200);
        assertThat(one.remove("pulls")).as("pulls per day only in the one repository's answer").isNotNull();
        assertThat(second.get("repositories").get(0)).isEqualTo(one);
        JsonNode account = all.get("account");
        assertThat(account.get("account").asText()).isEqualTo(ApiServer.ACCOUNT);
        assertThat(account.get("repositories").asLong()).isEqualTo(2);
        assertThat(account.get("images").asLong()).isEqualTo(2);
        assertThat(account.get("blobBytes").asLong()).as("the shared layer counts in both")
                .isEqualTo(APP_CONFIG.length + OTHER_CONFIG.length + 2L * LAYER.length);
        assertThat(account.get("exclusiveBytes").asLong()).isEqualTo(APP_CONFIG.length + OTHER_CONFIG.length);
        assertThat(registry.get("storedBytes").asLong()).isEqualTo(registry.get("blobBytes").asLong()
                + registry.get("manifestBytes").asLong());
    }

    @Test
    void aDeletedImageStopsCountingAtOnce() throws Exception {
        HttpResponse<String> deleted = server.send("DELETE", "/v2/team/app/manifests/" + Fixtures.digest(appManifest),
                server.root());
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(202);
        JsonNode app = get("/wharf/v1/repositories/team/app/usage", server.root(), 200);
        assertThat(app.get("images").asLong()).isZero();
        assertThat(app.get("tags").asLong()).isZero();
        assertThat(app.get("manifestBytes").asLong()).isZero();
        assertThat(get("/wharf/v1/usage", server.root(), 200).get("registry").get("manifestBytes").asLong())
                .isEqualTo(get("/wharf/v1/repositories/team/other/usage", server.root(), 200).get("manifestBytes").asLong());
    }

    @Test
    void aUserNeedsGetUsageOnTheRepositoryOrOnEveryRepositoryForTheTotal() throws Exception {
        String nobody = server.user("nobody", "*");
        String ecrOnly = server.user("pusher", "*", "ecr:*");
        String appOwner = server.user("owner", REPOSITORY_ARN + "team/app", "wharf:GetUsage");
        String admin = server.user("admin", REPOSITORY_ARN + "*", "wharf:GetUsage");

        for (String denied : new String[] {nobody, ecrOnly}) {
            JsonNode r = get("/wharf/v1/repositories/team/app/usage", denied, 403);
            assertThat(r.get("code").asText()).isEqualTo("DENIED");
            assertThat(r.get("message").asText()).contains("wharf:GetUsage").contains(REPOSITORY_ARN + "team/app");
            get("/wharf/v1/usage", denied, 403);
        }
        get("/wharf/v1/repositories/team/app/usage", appOwner, 200);
        get("/wharf/v1/repositories/team/other/usage", appOwner, 403);
        assertThat(get("/wharf/v1/usage", appOwner, 403).get("message").asText()).contains(REPOSITORY_ARN + "*");
        assertThat(get("/wharf/v1/repositories/team/missing/usage", appOwner, 403).get("code").asText())
                .as("authorized before looked up: no probing for names").isEqualTo("DENIED");
        get("/wharf/v1/usage", admin, 200);
        get("/wharf/v1/repositories/team/other/usage", admin, 200);
        assertThat(server.send("GET", "/wharf/v1/usage", null).statusCode()).isEqualTo(401);
    }

    @Test
    void unknownRepositoriesAndBadParametersGetTheirOwnErrors() throws Exception {
        JsonNode missing = get("/wharf/v1/repositories/team/missing/usage", server.root(), 404);
        assertThat(missing.get("code").asText()).isEqualTo("NOT_FOUND");
        assertThat(missing.get("message").asText()).contains("team/missing");

        for (String bad : new String[] {"/wharf/v1/usage?maxResults=0", "/wharf/v1/usage?maxResults=1001",
                "/wharf/v1/usage?maxResults=ten", "/wharf/v1/usage?nextToken=%C3%28", "/wharf/v1/usage?nextToken=Not!A/Name",
                "/wharf/v1/repositories/Team/App/usage", "/wharf/v1/repositories//usage",
                "/wharf/v1/repositories/team/app/usage?days=0", "/wharf/v1/usage?days=367", "/wharf/v1/usage?days=x"}) {
            JsonNode r = get(bad, server.root(), 400);
            assertThat(r.get("code").asText()).as(bad).isEqualTo("INVALID_PARAMETER");
            assertThat(r.get("message").asText()).as(bad).isNotBlank();
        }
        assertThat(get("/wharf/v1/usage?maxResults=ten", server.root(), 400).get("message").asText()).contains("maxResults");
        assertThat(server.send("POST", "/wharf/v1/usage", server.root()).statusCode()).isEqualTo(405);
        assertThat(server.send("DELETE", "/wharf/v1/repositories/team/app/usage", server.root()).statusCode()).isEqualTo(405);
        get("/wharf/v1/repositories/team/app", server.root(), 404);
        get("/wharf/v1/usage/more", server.root(), 404);
    }
}
