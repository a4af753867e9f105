package io.wharf.server.metrics;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.iam.Principal;
import io.wharf.server.auth.AuthSetup;
import io.wharf.server.cli.WharfCommand;
import io.wharf.server.config.WharfConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/** Who may scrape: each {@code metrics.access} mode, on the API port and on the separate {@code metrics.listen}. */
class MetricsAccessTest {
    private static final String ACCOUNT = "000000000000";
    private static final String ROOT_ID = "AKIAROOTROOTROOTROOT";
    private static final String ROOT_SECRET = "rootrootrootrootrootrootrootrootrootroot";

    @TempDir
    Path data;

    @Test
    void tokenOnASeparateListener() throws Exception {
        Path token = Files.writeString(data.resolveSibling(data.getFileName() + "-token"), "s3cr3t-scrape-token\n");
        WharfConfig.Metrics config = Served.metrics(WharfConfig.MetricsAccess.TOKEN,
                new WharfConfig.Listen("127.0.0.1", 0), token, 100);
        try (Served s = new Served(data, true, config, rootKeys())) {
            int port = s.app.metricsPort();
            assertThat(port).isPositive().isNotEqualTo(s.port());
            assertThat(s.send("GET", "/metrics", null).statusCode()).isEqualTo(404); // not on the API port
            HttpResponse<byte[]> none = s.send(port, "GET", "/metrics", null);
            assertThat(none.statusCode()).isEqualTo(401);
            assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
            assertThat(s.send(port, "GET", "/metrics", null, "Authorization", "Bearer wrong").statusCode()).isEqualTo(403);
            assertThat(s.send(port, "GET", "/metrics", null, "Authorization", s.token(Principal.root(ACCOUNT)))
                    .statusCode()).isEqualTo(401); // IAM credentials are not the token
            HttpResponse<byte[]> ok = s.send(port, "GET", "/metrics", null, "Authorization", "Bearer s3cr3t-scrape-token");
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(PrometheusText.parse(new String(ok.body(), UTF_8)).types).containsKey("process_uptime_seconds");
            assertThat(s.send(port, "GET", "/v2/", null).statusCode()).isEqualTo(404); // only /metrics there
            assertThat(s.send(port, "POST", "/metrics", new byte[0], "Authorization", "Bearer s3cr3t-scrape-token")
                    .statusCode()).isEqualTo(405);
        }
    }

    @Test
    void iamByDefaultWhenAuthIsOn() throws Exception {
        try (Served s = new Served(data, true, Served.metrics(WharfConfig.MetricsAccess.AUTO, null, null, 100),
                rootKeys())) {
            assertThat(s.send("GET", "/metrics", null).statusCode()).isEqualTo(401);
            assertThat(scrape(s, "Basic " + java.util.Base64.getEncoder().encodeToString("AWS:forged".getBytes(UTF_8))))
                    .isEqualTo(401);
            assertThat(scrape(s, user(s, "nobody"))).isEqualTo(403);
            assertThat(scrape(s, user(s, "puller", "ecr:BatchGetImage"))).isEqualTo(403);
            assertThat(scrape(s, user(s, "prometheus", MetricsEndpoint.ACTION))).isEqualTo(200);
            assertThat(scrape(s, s.token(Principal.root(ACCOUNT)))).isEqualTo(200);
            assertThat(signedScrape(s, ROOT_ID, ROOT_SECRET).statusCode()).isEqualTo(200);
            assertThat(signedScrape(s, ROOT_ID, ROOT_SECRET.replace('r', 'x')).statusCode()).isEqualTo(401);
        }
    }

    @Test
    void openByDefaultWhenAuthIsOff() throws Exception {
        try (Served s = new Served(data, false, Served.metrics(WharfConfig.MetricsAccess.AUTO, null, null, 100))) {
            assertThat(s.send("GET", "/metrics", null).statusCode()).isEqualTo(200);
            assertThat(s.send("HEAD", "/metrics", null).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void openEvenWithAuthOnWhenConfigured() throws Exception {
        try (Served s = new Served(data, true, Served.metrics(WharfConfig.MetricsAccess.OPEN, null, null, 100),
                rootKeys())) {
            assertThat(s.send("GET", "/metrics", null).statusCode()).isEqualTo(200);
            assertThat(s.send("GET", "/v2/", null).statusCode()).isEqualTo(401); // the API itself still is not open
        }
    }

    private static int scrape(Served s, String authorization) throws Exception {
        return s.send("GET", "/metrics", null, "Authorization", authorization).statusCode();
    }

    /** A GET of /metrics signed with SigV4 by the AWS SDK's own signer. */
    private static HttpResponse<byte[]> signedScrape(Served s, String keyId, String secret) throws Exception {
        SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.GET)
                .uri(URI.create("http://127.0.0.1:" + s.port() + "/metrics")).build();
        SdkHttpRequest signed = AwsV4HttpSigner.create().sign(SignRequest.builder(AwsCredentialsIdentity.create(keyId, secret))
                .request(request).payload(ContentStreamProvider.fromByteArray(new byte[0]))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "ecr")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, Clock.systemUTC().withZone(ZoneOffset.UTC)).build()).request();
        List<String> headers = new ArrayList<>();
        signed.headers().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("Host")) {
                headers.add(name);
                headers.add(values.getFirst());
            }
        });
        return s.send("GET", "/metrics", null, headers.toArray(String[]::new));
    }

    private static Map<String, String> rootKeys() {
        return Map.of(AuthSetup.ENV_ROOT_KEY_ID, ROOT_ID, AuthSetup.ENV_ROOT_SECRET, ROOT_SECRET);
    }

    /** A user allowed {@code actions} on {@code *} (none: no policy), made with {@code wharf iam}; its token. */
    private String user(Served s, String name, String... actions) throws Exception {
        iam("create-user", name);
        if (actions.length > 0) {
            Path policy = data.resolveSibling(data.getFileName() + "-" + name + ".json");
            Files.writeString(policy, "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\""
                    + actions[0] + "\",\"Resource\":\"*\"}]}");
            iam("put-user-policy", name, "policy", policy.toString());
        }
        return s.token(Principal.user(ACCOUNT, name));
    }

    private void iam(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "iam";
        all[1] = "--data";
        all[2] = data.toString();
        System.arraycopy(args, 0, all, 3, args.length);
        StringWriter err = new StringWriter();
        assertThat(WharfCommand.execute(Map.of(), new PrintWriter(new StringWriter()), new PrintWriter(err), all))
                .as(err.toString()).isZero();
    }
}
