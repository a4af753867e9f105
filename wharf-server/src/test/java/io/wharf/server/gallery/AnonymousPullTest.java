package io.wharf.server.gallery;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.server.oci.Fixtures;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /v2/} without credentials over real HTTP: public repositories read, nothing else. */
class AnonymousPullTest {
    @TempDir
    Path data;
    private PublicServer server;
    private byte[] manifest;
    private byte[] layer;

    @BeforeEach
    void start() throws Exception {
        server = new PublicServer(data, true);
        byte[][] pushed = server.push("pub/app", "v1");
        manifest = pushed[0];
        layer = pushed[1];
        server.push("priv/app", "v1");
        assertThat(server.setPublic("pub/app", true).statusCode()).isEqualTo(200);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> anonymous(String method, String path) throws Exception {
        return server.send(method, path, null, null, null);
    }

    @Test
    void anonymousReadsOfAPublicRepositoryAreServed() throws Exception {
        HttpResponse<String> m = anonymous("GET", "/v2/pub/app/manifests/v1");
        assertThat(m.statusCode()).isEqualTo(200);
        assertThat(m.body()).isEqualTo(new String(manifest, UTF_8));
        assertThat(anonymous("HEAD", "/v2/pub/app/manifests/v1").statusCode()).isEqualTo(200);
        String blob = "/v2/pub/app/blobs/" + Fixtures.digest(layer);
        assertThat(anonymous("GET", blob).body()).isEqualTo(new String(layer, UTF_8));
        assertThat(anonymous("HEAD", blob).statusCode()).isEqualTo(200);
        assertThat(anonymous("GET", "/v2/pub/app/tags/list").body()).contains("\"v1\"");
        assertThat(anonymous("GET", "/v2/pub/app/referrers/" + Fixtures.digest(manifest)).statusCode()).isEqualTo(200);
        assertThat(anonymous("GET", "/v2/pub/app/manifests/missing").statusCode()).isEqualTo(404);
        // skopeo and podman without credentials send Basic with an empty user and password
        HttpResponse<String> empty = server.send("GET", "/v2/pub/app/manifests/v1", "Basic Og==", null, null);
        assertThat(empty.statusCode()).isEqualTo(200);
        assertThat(server.send("GET", "/v2/priv/app/manifests/v1", "Basic Og==", null, null).statusCode()).isEqualTo(401);
    }

    @Test
    void aPrivateRepositoryAnswersAnonymousCallersAsAMissingOneDoes() throws Exception {
        for (String path : new String[] {"/v2/priv/app/manifests/v1", "/v2/priv/app/tags/list",
                "/v2/priv/app/blobs/" + Fixtures.digest(layer)}) {
            HttpResponse<String> priv = anonymous("GET", path);
            HttpResponse<String> missing = anonymous("GET", path.replace("priv/app", "nothing/here"));
            assertThat(priv.statusCode()).as(path).isEqualTo(401);
            assertThat(priv.body()).isEqualTo(missing.body());
            assertThat(priv.headers().firstValue("WWW-Authenticate"))
                    .isEqualTo(missing.headers().firstValue("WWW-Authenticate"))
                    .contains("Basic realm=\"http://127.0.0.1:" + server.port() + "/\",service=\"ecr.amazonaws.com\"");
        }
    }

    @Test
    void writesTheCatalogAndOtherApisStayClosedToAnonymousCallers() throws Exception {
        assertThat(anonymous("POST", "/v2/pub/app/blobs/uploads/").statusCode()).isEqualTo(401);
        HttpResponse<String> put = server.send("PUT", "/v2/pub/app/manifests/v2", null, manifest, Fixtures.OCI_MANIFEST);
        assertThat(put.statusCode()).isEqualTo(401);
        assertThat(anonymous("DELETE", "/v2/pub/app/manifests/v1").statusCode()).isEqualTo(401);
        assertThat(anonymous("GET", "/v2/_catalog").statusCode()).isEqualTo(401);
        assertThat(anonymous("GET", "/v2/").statusCode()).isEqualTo(401);
        assertThat(anonymous("POST", "/v2/token").statusCode()).isEqualTo(405);
        assertThat(anonymous("GET", "/wharf/v1/repositories/pub/app/public").statusCode()).isEqualTo(401);
        assertThat(anonymous("PUT", "/wharf/v1/repositories/pub/app/public").statusCode()).isEqualTo(401);
        assertThat(anonymous("GET", "/wharf/v1/repositories/pub/app/usage").statusCode()).isEqualTo(401);
        assertThat(server.get("/v2/pub/app/tags/list").statusCode()).isEqualTo(200);
        // credentials that are not ours are refused, not downgraded to anonymous
        assertThat(server.send("GET", "/v2/pub/app/tags/list", "Basic QVdTOm5vcGU=", null, null).statusCode())
                .isEqualTo(401);
    }

    /** docker sends nothing at all after a Basic challenge without credentials: with a public repository, Bearer. */
    @Test
    void thePingChallengesForBearerAndTheTokenEndpointHandsOutCredentials() throws Exception {
        HttpResponse<String> ping = anonymous("GET", "/v2/");
        assertThat(ping.statusCode()).isEqualTo(401);
        String base = "http://127.0.0.1:" + server.port();
        assertThat(ping.headers().firstValue("WWW-Authenticate"))
                .contains("Bearer realm=\"" + base + "/v2/token\",service=\"127.0.0.1:" + server.port() + "\"");
        assertThat(anonymous("GET", "/v2/priv/app/manifests/v1").headers().firstValue("WWW-Authenticate"))
                .as("every other 401 keeps ECR's Basic challenge").hasValueSatisfying(v -> assertThat(v).startsWith("Basic "));

        HttpResponse<String> anonymousToken = anonymous("GET", "/v2/token?service=x&scope=repository:pub/app:pull");
        assertThat(anonymousToken.statusCode()).isEqualTo(200);
        assertThat(anonymousToken.body()).isEqualTo("{\"token\":\"Og==\",\"access_token\":\"Og==\"}");
        assertThat(server.send("GET", "/v2/pub/app/manifests/v1", "Bearer Og==", null, null).statusCode()).isEqualTo(200);
        assertThat(server.send("GET", "/v2/priv/app/manifests/v1", "Bearer Og==", null, null).statusCode()).isEqualTo(401);

        String root = server.root();
        HttpResponse<String> rootToken = server.send("GET", "/v2/token?scope=repository:priv/app:pull,push", root, null, null);
        assertThat(rootToken.statusCode()).isEqualTo(200);
        String token = rootToken.body().replaceAll(".*\"token\":\"([^\"]+)\".*", "$1");
        assertThat("Basic " + token).isEqualTo(root);
        assertThat(server.send("GET", "/v2/priv/app/manifests/v1", "Bearer " + token, null, null).statusCode()).isEqualTo(200);
        assertThat(server.send("GET", "/v2/", "Bearer " + token, null, null).statusCode()).isEqualTo(200);
        HttpResponse<String> bad = server.send("GET", "/v2/token", "Basic QVdTOm5vcGU=", null, null);
        assertThat(bad.statusCode()).isEqualTo(401);
        assertThat(bad.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic "));

        server.setPublic("pub/app", false);
        assertThat(anonymous("GET", "/v2/").headers().firstValue("WWW-Authenticate"))
                .as("no public repository left: ECR's challenge again").hasValueSatisfying(v -> assertThat(v).startsWith("Basic "));
    }

    @Test
    void withAuthenticationOffEverythingIsOpenAnyway(@TempDir Path other) throws Exception {
        try (PublicServer open = new PublicServer(other, false)) {
            open.push("priv/app", "v1");
            assertThat(open.get("/v2/").statusCode()).isEqualTo(200);
            assertThat(open.get("/v2/priv/app/manifests/v1").statusCode()).isEqualTo(200);
            assertThat(open.get("/wharf/v1/gallery").body()).isEqualTo("{\"repositories\":[]}");
            assertThat(open.send("PUT", "/wharf/v1/repositories/priv/app/public", null, null, null).statusCode()).isEqualTo(200);
            assertThat(open.get("/wharf/v1/gallery").body()).contains("\"repositoryName\":\"priv/app\"");
            assertThat(open.get("/v2/").statusCode()).as("no challenge at all").isEqualTo(200);
        }
    }

    @Test
    void makingARepositoryPrivateAgainClosesIt() throws Exception {
        HttpResponse<String> closed = server.setPublic("pub/app", false);
        assertThat(closed.statusCode()).isEqualTo(200);
        assertThat(closed.body()).contains("\"public\":false");
        assertThat(anonymous("GET", "/v2/pub/app/manifests/v1").statusCode()).isEqualTo(401);
        assertThat(server.send("GET", "/v2/pub/app/manifests/v1", server.root(), null, null).statusCode()).isEqualTo(200);
    }

    @Test
    void changingVisibilityIsItsOwnPermission() throws Exception {
        String reader = server.user("reader", """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecr:*","Resource":"*"}]}""");
        HttpResponse<String> denied = server.send("PUT", "/wharf/v1/repositories/priv/app/public", reader, null, null);
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(denied.body()).contains("wharf:SetRepositoryVisibility");
        HttpResponse<String> read = server.send("GET", "/wharf/v1/repositories/pub/app/public", reader, null, null);
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.body()).contains("\"repositoryName\":\"pub/app\"").contains("\"public\":true");
        String admin = server.user("admin", """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"wharf:SetRepositoryVisibility",
                 "Resource":"arn:aws:ecr:us-east-1:000000000000:repository/priv/*"}]}""");
        assertThat(server.send("PUT", "/wharf/v1/repositories/priv/app/public", admin, null, null).statusCode())
                .isEqualTo(200);
        assertThat(anonymous("GET", "/v2/priv/app/manifests/v1").statusCode()).isEqualTo(200);
        assertThat(server.send("PUT", "/wharf/v1/repositories/no/such/public", admin, null, null).statusCode())
                .isEqualTo(403);
        assertThat(server.send("PUT", "/wharf/v1/repositories/no/such/public", server.root(), null, null).statusCode())
                .isEqualTo(404);
    }
}
