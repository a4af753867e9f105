package io.wharf.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /wharf/v1/jobs} on a real server with authentication on: registry tokens, Wharf's own IAM actions. */
class JobsApiTest {
    private static final String ACCOUNT = ApiServer.ACCOUNT;

    @TempDir
    Path data;
    private ApiServer server;

    @BeforeEach
    void start() throws Exception {
        server = new ApiServer(data);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> send(String method, String path, String authorization) throws Exception {
        return server.send(method, path, authorization);
    }

    private String root() {
        return server.root();
    }

    private String user(String name, String resource, String... actions) throws Exception {
        return server.user(name, resource, actions);
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return ApiServer.json(r);
    }

    @Test
    void theRootListsAndDescribesTheJobs() throws Exception {
        HttpResponse<String> list = send("GET", "/wharf/v1/jobs", root());
        assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
        assertThat(list.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(json(list).get("jobs").findValuesAsText("name")).containsExactly("audit-retention", "console-sweep", "gc", "insight",
                "lifecycle", "replication", "scan", "scrub", "upload-sweep", "webhooks");

        JsonNode sweep = json(send("GET", "/wharf/v1/jobs/upload-sweep", root()));
        assertThat(sweep.get("state").asText()).isEqualTo("idle");
        assertThat(sweep.get("lastRun").get("result").asText()).as("swept before serving").isEqualTo("ok");
        assertThat(sweep.get("counters").get("removed").asLong()).isZero();
        assertThat(sweep.get("intervalSeconds").asLong()).isEqualTo(300); // a tenth of the 1 h upload timeout, at most 5 min
        assertThat(Instant.parse(sweep.get("nextDueAt").asText())).isAfter(Instant.now());
        assertThat(sweep.has("owner")).isTrue();
        assertThat(sweep.has("leaseExpiresAt")).isTrue();
    }

    @Test
    void aRunRequestIsAcceptedAndTheServerRunsItAtItsNextPoll() throws Exception {
        Instant before = Instant.parse(json(send("GET", "/wharf/v1/jobs/scrub", root())).get("nextDueAt").asText());
        assertThat(before).as("the first scrub waits a minute after start").isAfter(Instant.now());
        Instant asked = Instant.now().minusMillis(1);
        HttpResponse<String> run = send("POST", "/wharf/v1/jobs/scrub/run", root());
        assertThat(run.statusCode()).as(run.body()).isEqualTo(202);
        assertThat(json(run).get("runRequestedAt").isNull()).isFalse();

        JsonNode scrub = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            scrub = json(send("GET", "/wharf/v1/jobs/scrub", root()));
            if (scrub.get("lastRun").get("result").isTextual()) {
                break;
            }
            Thread.sleep(50);
        }
        assertThat(scrub.get("lastRun").get("result").asText()).isEqualTo("ok");
        assertThat(Instant.parse(scrub.get("lastRun").get("startedAt").asText())).isAfterOrEqualTo(asked);
        assertThat(scrub.get("runRequestedAt").isNull()).isTrue();
    }

    @Test
    void aUserNeedsWharfsOwnActions() throws Exception {
        String nobody = user("nobody", "*");
        String ecrOnly = user("pusher", "*", "ecr:*");
        String reader = user("reader", "arn:aws:wharf:us-east-1:" + ACCOUNT + ":job/*", "wharf:ListJobs", "wharf:DescribeJob");
        String scrubber = user("scrubber", "arn:aws:wharf:us-east-1:" + ACCOUNT + ":job/scrub", "wharf:RunJob");

        for (String denied : new String[] {nobody, ecrOnly, scrubber}) {
            HttpResponse<String> r = send("GET", "/wharf/v1/jobs", denied);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
            assertThat(json(r).get("code").asText()).isEqualTo("DENIED");
            assertThat(json(r).get("message").asText()).contains("wharf:ListJobs");
        }
        assertThat(send("GET", "/wharf/v1/jobs", reader).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/wharf/v1/jobs/scrub", reader).statusCode()).isEqualTo(200);
        assertThat(send("POST", "/wharf/v1/jobs/scrub/run", reader).statusCode()).isEqualTo(403);
        assertThat(send("POST", "/wharf/v1/jobs/scrub/run", scrubber).statusCode()).isEqualTo(202);
        assertThat(send("POST", "/wharf/v1/jobs/upload-sweep/run", scrubber).statusCode()).as("scoped to job/scrub")
                .isEqualTo(403);
    }

    @Test
    void unauthenticatedUnknownAndWrongMethodGetTheirOwnErrors() throws Exception {
        HttpResponse<String> anonymous = send("GET", "/wharf/v1/jobs", null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).get().asString().startsWith("Basic realm=");
        assertThat(json(anonymous).get("code").asText()).isEqualTo("UNAUTHORIZED");
        assertThat(send("GET", "/wharf/v1/jobs", "Basic bm90OmFub2tlbg==").statusCode()).isEqualTo(401);

        HttpResponse<String> unknown = send("GET", "/wharf/v1/jobs/nope", root());
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown).get("code").asText()).isEqualTo("NOT_FOUND");
        assertThat(send("POST", "/wharf/v1/jobs/nope/run", root()).statusCode()).isEqualTo(404);
        assertThat(send("GET", "/wharf/v1/jobs/Bad%2Fname", root()).statusCode()).isEqualTo(404);
        assertThat(send("GET", "/wharf/v1/other", root()).statusCode()).isEqualTo(404);
        assertThat(send("GET", "/wharf/v1/jobs/scrub/run/x", root()).statusCode()).isEqualTo(404);
        HttpResponse<String> wrongMethod = send("DELETE", "/wharf/v1/jobs/scrub", root());
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(json(wrongMethod).get("code").asText()).isEqualTo("METHOD_NOT_ALLOWED");
        assertThat(send("GET", "/wharf/v1/jobs/scrub/run", root()).statusCode()).isEqualTo(405);
        assertThat(send("GET", "/v2/", root()).statusCode()).as("the registry API is untouched").isEqualTo(200);
    }
}
