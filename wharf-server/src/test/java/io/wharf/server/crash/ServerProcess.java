package io.wharf.server.crash;

import io.wharf.core.iam.Principal;
import io.wharf.server.auth.AuthSetup;
import io.wharf.server.auth.RegistryToken;
import io.wharf.server.config.WharfConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code wharf serve} as a child process with the default configuration (authentication on), started
 * from the test's own class path, killable with SIGKILL.
 */
final class ServerProcess implements AutoCloseable {
    private final Process process;
    final int port;
    /** {@code Authorization} header value: the root's registry token, signed with the data directory's key. */
    final String authorization;
    private volatile boolean killIssued;

    private ServerProcess(Process process, int port, String authorization) {
        this.process = process;
        this.port = port;
        this.authorization = authorization;
    }

    static ServerProcess start(Path dataDir, Path log, Map<String, String> env) throws Exception {
        int port = freePort();
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), "io.wharf.server.cli.WharfCommand", "serve",
                "--listen", "127.0.0.1:" + port, "--data", dataDir.toString()));
        pb.environment().putAll(env);
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Process process = pb.start();
        awaitReady(process, port); // the first start creates the token signing key
        return new ServerProcess(process, port, rootAuthorization(dataDir));
    }

    /** What {@code wharf iam login-password --root} prints, as a Basic header for user AWS. */
    private static String rootAuthorization(Path dataDir) throws IOException {
        WharfConfig config = WharfConfig.defaults().withData(dataDir);
        // SQLite: the key file in the data directory, no database needed
        RegistryToken token = AuthSetup.tokens(config, null, Clock.systemUTC()).issue(Principal.root(config.account()));
        return "Basic " + token.authorizationToken();
    }

    private static void awaitReady(Process process, int port) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("wharf exited with " + process.exitValue());
            }
            try {
                HttpResponse<Void> res = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (res.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("wharf did not become ready within 60 s");
    }

    /** SIGKILL: no shutdown hook, no flush, exactly what a crash or an OOM kill looks like. */
    void kill() throws InterruptedException {
        killIssued = true;
        process.destroyForcibly();
        process.waitFor();
    }

    /** Whether {@link #kill} was called: from then on, a client's transport errors are the kill's doing. */
    boolean killIssued() {
        return killIssued;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
