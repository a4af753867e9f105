package io.wharf.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.server.signing.Cosign;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** What the signature-policy tests ask of one {@link ApiServer}, as its root user, about the repository {@link #REPO}. */
final class PolicyCalls {
    static final String REPO = "team/app";
    static final String POLICY = "/wharf/v1/repositories/" + REPO + "/signature-policy";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ApiServer server;
    final String root;
    /** Pushes as root, for {@link Cosign}'s helpers. */
    final Cosign.Client client;

    PolicyCalls(ApiServer server) {
        this.server = server;
        this.root = server.root();
        this.client = (method, path, body, type) -> server.send(method, path, root,
                HttpRequest.BodyPublishers.ofByteArray(body), type).statusCode();
    }

    HttpResponse<String> putPolicy(String json) throws Exception {
        return server.send("PUT", POLICY, root, HttpRequest.BodyPublishers.ofString(json), "application/json");
    }

    HttpResponse<String> pull(String reference) throws Exception {
        return server.send("GET", "/v2/" + REPO + "/manifests/" + reference, root);
    }

    JsonNode get(String path, int status) throws Exception {
        HttpResponse<String> r = server.send("GET", path, root);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        return JSON.readTree(r.body());
    }

    /** A 403 DENIED from the signature policy, whose message holds {@code reason}. */
    static void assertDenied(HttpResponse<String> r, String reason) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
        JsonNode error = JSON.readTree(r.body()).at("/errors/0");
        assertThat(error.get("code").asText()).isEqualTo("DENIED");
        assertThat(error.get("message").asText()).contains("signature policy").contains(reason);
    }
}
