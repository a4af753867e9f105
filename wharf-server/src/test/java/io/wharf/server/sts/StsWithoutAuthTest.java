package io.wharf.server.sts;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.server.app.Application;
import io.wharf.server.app.Backend;
import io.wharf.server.app.Wiring;
import io.wharf.server.config.WharfConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With auth.enabled: false every request is the root, unsigned ones too; temporary credentials are not issued. */
class StsWithoutAuthTest {
    @TempDir
    Path data;
    private Application app;

    @BeforeEach
    void start() throws Exception {
        WharfConfig config = WharfConfig.defaults().withData(data).withListen(new WharfConfig.Listen("127.0.0.1", 0))
                .withAuth(new WharfConfig.AuthSettings(false)).withShutdownTimeout(Duration.ofSeconds(2));
        Backend backend = Wiring.open(config, Map.of(), new PrintWriter(new StringWriter(), true));
        app = Application.start(config, backend, registry -> Wiring.api(registry, config, backend.auth()));
    }

    @AfterEach
    void stop() {
        app.stop();
    }

    private HttpResponse<String> post(String form) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.server().uri().getPort() + "/"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        }
    }

    @Test
    void unsignedCallsActAsTheRootAndNoTemporaryCredentialsAreIssued() throws Exception {
        HttpResponse<String> me = post("Action=GetCallerIdentity&Version=2011-06-15");
        assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
        assertThat(me.body()).contains("<Arn>arn:aws:iam::000000000000:root</Arn>");
        HttpResponse<String> web = post("Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A"
                + "000000000000%3Arole%2Fr&RoleSessionName=s1&WebIdentityToken=x");
        assertThat(web.statusCode()).isEqualTo(400);
        assertThat(web.body()).contains("<Code>InvalidAction</Code>", "needs auth.enabled: true");
        HttpResponse<String> session = post("Action=GetSessionToken&Version=2011-06-15");
        assertThat(session.statusCode()).isEqualTo(400);
        assertThat(session.body()).contains("<Code>InvalidAction</Code>");
    }
}
