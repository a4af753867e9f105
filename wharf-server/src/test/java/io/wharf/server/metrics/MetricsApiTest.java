package io.wharf.server.metrics;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.server.config.WharfConfig;
import io.wharf.server.oci.Fixtures;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /metrics} on the API port after known traffic through both APIs: the exact counts per API, operation and
 * status class, bytes, latency histograms, per-repository pushes/pulls/deletes under the cardinality cap, the
 * background and JVM meters; parsed strictly ({@link PrometheusText}) in both exposition formats.
 */
class MetricsApiTest {
    private static final String ECR = "AmazonEC2ContainerRegistry_V20150921.";
    /** Requests the traffic below makes, /metrics aside. */
    private static final int REQUESTS = 22;

    @TempDir
    Path data;

    @Test
    void scrapeAfterKnownTrafficCountsExactly() throws Exception {
        try (Served s = new Served(data, false, Served.metrics(WharfConfig.MetricsAccess.AUTO, null, null, 2))) {
            Map<String, byte[]> manifests = new HashMap<>();
            for (String repo : new String[] {"aa", "bb", "cc"}) {
                manifests.put(repo, push(s, repo)); // 2 StartUpload + 1 PutManifest each: aa and bb get labels, cc is _other
            }
            assertThat(s.send("POST", "/v2/aa/blobs/uploads/", null).statusCode()).isEqualTo(202); // stays open
            for (String repo : new String[] {"aa", "aa", "bb", "cc"}) {
                assertThat(s.send("GET", "/v2/" + repo + "/manifests/v1", null).statusCode()).isEqualTo(200);
            }
            assertThat(s.send("GET", "/v2/dd/manifests/v1", null).statusCode()).isEqualTo(404);
            assertThat(s.send("HEAD", "/v2/aa/manifests/v1", null).statusCode()).isEqualTo(200);
            assertThat(s.send("DELETE", "/v2/bb/manifests/" + Fixtures.digest(manifests.get("bb")), null).statusCode())
                    .isEqualTo(202);
            assertThat(ecr(s, "DescribeRepositories", "{}").statusCode()).isEqualTo(200);
            assertThat(ecr(s, "DescribeRepositories", "{}").statusCode()).isEqualTo(200);
            assertThat(ecr(s, "DescribeRepositories", "{\"repositoryNames\":[\"nope\"]}").statusCode()).isEqualTo(400);
            assertThat(ecr(s, "NoSuchOperation", "{}").statusCode()).isEqualTo(400);
            HttpResponse<byte[]> batch = ecr(s, "BatchGetImage",
                    "{\"repositoryName\":\"aa\",\"imageIds\":[{\"imageTag\":\"v1\"}]}");
            assertThat(batch.statusCode()).as(new String(batch.body(), UTF_8)).isEqualTo(200);

            System.gc(); // a gauge whose state only the registry held weakly would now read NaN
            PrometheusText m = awaitRequests(s, REQUESTS);
            assertRequests(m);
            assertRepositories(m);
            assertBytesAndLatency(m, manifests);
            assertBackgroundAndJvm(m);
        }
    }

    private static void assertRequests(PrometheusText m) {
        String requests = "wharf_http_requests_total";
        assertThat(m.value(requests, "api", "oci", "operation", "StartUpload", "status_class", "2xx")).isEqualTo(7.0);
        assertThat(m.value(requests, "api", "oci", "operation", "PutManifest", "status_class", "2xx")).isEqualTo(3.0);
        assertThat(m.value(requests, "api", "oci", "operation", "GetManifest", "status_class", "2xx")).isEqualTo(4.0);
        assertThat(m.value(requests, "api", "oci", "operation", "GetManifest", "status_class", "4xx")).isEqualTo(1.0);
        assertThat(m.value(requests, "api", "oci", "operation", "HeadManifest", "status_class", "2xx")).isEqualTo(1.0);
        assertThat(m.value(requests, "api", "oci", "operation", "DeleteManifest", "status_class", "2xx")).isEqualTo(1.0);
        assertThat(m.value(requests, "api", "ecr", "operation", "DescribeRepositories", "status_class", "2xx")).isEqualTo(2.0);
        assertThat(m.value(requests, "api", "ecr", "operation", "DescribeRepositories", "status_class", "4xx")).isEqualTo(1.0);
        assertThat(m.value(requests, "api", "ecr", "operation", "unknown", "status_class", "4xx")).isEqualTo(1.0);
        assertThat(m.value(requests, "api", "ecr", "operation", "BatchGetImage", "status_class", "2xx")).isEqualTo(1.0);
        assertThat(m.types.get("wharf_http_requests_total")).isEqualTo("counter");
    }

    private static void assertRepositories(PrometheusText m) {
        assertThat(m.value("wharf_repository_pushes_total", "repository", "aa")).isEqualTo(1.0);
        assertThat(m.value("wharf_repository_pushes_total", "repository", "bb")).isEqualTo(1.0);
        assertThat(m.value("wharf_repository_pushes_total", "repository", "_other")).isEqualTo(1.0);
        assertThat(m.value("wharf_repository_pulls_total", "repository", "aa")).isEqualTo(3.0); // 2 GETs + BatchGetImage
        assertThat(m.value("wharf_repository_pulls_total", "repository", "bb")).isEqualTo(1.0);
        assertThat(m.value("wharf_repository_pulls_total", "repository", "_other")).isEqualTo(1.0);
        assertThat(m.value("wharf_repository_deletes_total", "repository", "bb")).isEqualTo(1.0);
        for (String name : new String[] {"wharf_repository_pushes_total", "wharf_repository_pulls_total",
                "wharf_repository_deletes_total"}) {
            assertThat(m.series(name)).extracting(x -> x.labels().get("repository"))
                    .isSubsetOf("aa", "bb", "_other"); // the cap: 2 names and _other, never cc or dd
        }
    }

    private static void assertBytesAndLatency(PrometheusText m, Map<String, byte[]> manifests) {
        int pushed = manifests.values().stream().mapToInt(b -> b.length).sum();
        int pulled = 2 * manifests.get("aa").length + manifests.get("bb").length + manifests.get("cc").length;
        assertThat(m.value("wharf_http_received_bytes_total", "api", "oci", "operation", "PutManifest"))
                .isEqualTo((double) pushed);
        assertThat(m.value("wharf_http_sent_bytes_total", "api", "oci", "operation", "GetManifest"))
                .isGreaterThanOrEqualTo((double) pulled) // plus the 404's error body
                .isLessThan(pulled + 1024.0);
        assertThat(m.types.get("wharf_http_request_duration_seconds")).isEqualTo("histogram");
        String[] get = {"api", "oci", "operation", "GetManifest"};
        assertThat(m.value("wharf_http_request_duration_seconds_count", get)).isEqualTo(5.0);
        assertThat(m.value("wharf_http_request_duration_seconds_bucket", "api", "oci", "operation", "GetManifest",
                "le", "+Inf")).isEqualTo(5.0);
        assertThat(m.value("wharf_http_request_duration_seconds_sum", get)).isPositive();
        assertThat(m.value("wharf_http_request_duration_seconds_max", get)).isPositive();
        assertThat(m.series("wharf_http_request_duration_seconds_bucket")
                .stream().filter(x -> x.labels().get("operation").equals("GetManifest")).count()).isEqualTo(12);
    }

    private static void assertBackgroundAndJvm(PrometheusText m) {
        assertThat(m.value("wharf_uploads_open")).isEqualTo(1.0);
        assertThat(m.value("wharf_job_runs_total", "job", "upload-sweep", "outcome", "ok")).isGreaterThanOrEqualTo(1.0);
        assertThat(m.value("wharf_job_run_duration_seconds_count", "job", "upload-sweep", "outcome", "ok"))
                .isGreaterThanOrEqualTo(1.0);
        assertThat(m.value("wharf_events_pending", "subscriber", "replication")).isNotNull();
        assertThat(m.value("wharf_events_pending_age_seconds", "subscriber", "replication")).isNotNull();
        for (String name : new String[] {"jvm_memory_used_bytes", "jvm_threads_live_threads",
                "jvm_classes_loaded_classes", "process_uptime_seconds", "process_files_open_files", "system_cpu_count"}) {
            assertThat(m.samples.keySet()).as(name).anyMatch(x -> x.name().equals(name));
        }
    }

    @Test
    void openMetricsWhenTheScraperAsksForIt() throws Exception {
        try (Served s = new Served(data, false, Served.metrics(WharfConfig.MetricsAccess.OPEN, null, null, 100))) {
            push(s, "x");
            awaitRequests(s, 3);
            HttpResponse<byte[]> r = s.send("GET", "/metrics", null,
                    "Accept", "application/openmetrics-text; version=1.0.0,text/plain;q=0.5");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValue(MetricsEndpoint.OPENMETRICS_TYPE);
            String body = new String(r.body(), UTF_8);
            assertThat(body).endsWith("# EOF\n");
            PrometheusText m = PrometheusText.parse(body);
            assertThat(m.types.get("wharf_http_requests")).isEqualTo("counter");
            assertThat(m.value("wharf_http_requests_total", "api", "oci", "operation", "PutManifest", "status_class", "2xx"))
                    .isEqualTo(1.0);
            assertThat(m.value("wharf_repository_pushes_total", "repository", "x")).isEqualTo(1.0);
        }
    }

    @Test
    void withoutRepositoryLabelsOneSeriesPerKind() throws Exception {
        WharfConfig.Metrics config = new WharfConfig.Metrics(true, java.util.Optional.empty(),
                WharfConfig.MetricsAccess.OPEN, java.util.Optional.empty(), false, 100);
        try (Served s = new Served(data, false, config)) {
            push(s, "x");
            push(s, "y");
            PrometheusText m = awaitRequests(s, 6);
            assertThat(m.value("wharf_repository_pushes_total")).isEqualTo(2.0);
            assertThat(m.series("wharf_repository_pushes_total")).hasSize(1);
        }
    }

    @Test
    void disabledServesNothingAndCountsNothing() throws Exception {
        WharfConfig.Metrics off = new WharfConfig.Metrics(false, java.util.Optional.empty(),
                WharfConfig.MetricsAccess.OPEN, java.util.Optional.empty(), true, 100);
        try (Served s = new Served(data, false, off)) {
            push(s, "x");
            assertThat(s.send("GET", "/metrics", null).statusCode()).isEqualTo(404);
            assertThat(s.app.metrics().registry().find("wharf.http.requests").counters()).isEmpty();
        }
    }

    /** Scrapes until the API requests counted reach {@code expected} (observers run just after the response). */
    static PrometheusText awaitRequests(Served s, int expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            HttpResponse<byte[]> r = s.send("GET", "/metrics", null);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValue(MetricsEndpoint.TEXT_TYPE);
            PrometheusText m = PrometheusText.parse(new String(r.body(), UTF_8));
            double counted = m.sum("wharf_http_requests_total") - m.sum("wharf_http_requests_total", "api", "none");
            if (counted >= expected || System.nanoTime() > deadline) {
                assertThat(counted).isEqualTo((double) expected);
                return m;
            }
            Thread.sleep(20);
        }
    }

    /** Config and layer blobs (monolithic POSTs) and the manifest under tag v1; returns the manifest. */
    static byte[] push(Served s, String repo) throws Exception {
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"repo\":\"" + repo + "\"}").getBytes(UTF_8);
        byte[] layer = Fixtures.randomBytes(1024);
        for (byte[] blob : new byte[][] {config, layer}) {
            assertThat(s.send("POST", "/v2/" + repo + "/blobs/uploads/?digest=" + Fixtures.digest(blob), blob,
                    "Content-Type", "application/octet-stream").statusCode()).isEqualTo(201);
        }
        byte[] manifest = Fixtures.manifest(config, layer);
        assertThat(s.send("PUT", "/v2/" + repo + "/manifests/v1", manifest, "Content-Type", Fixtures.OCI_MANIFEST)
                .statusCode()).isEqualTo(201);
        return manifest;
    }

    private static HttpResponse<byte[]> ecr(Served s, String operation, String json) throws Exception {
        return s.send("POST", "/", json.getBytes(UTF_8), "Content-Type", "application/x-amz-json-1.1",
                "X-Amz-Target", ECR + operation);
    }
}
