package io.wharf.server.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Self-signed certificates for localhost/127.0.0.1, made with the machine's openssl (a test dependency). */
public final class TestCerts {
    public record Pair(Path cert, Path key) {
    }

    private TestCerts() {
    }

    public static Pair rsa(Path dir) {
        return selfSigned(dir, "rsa", "rsa:2048");
    }

    static Pair ec(Path dir) {
        return selfSigned(dir, "ec", "ec", "-pkeyopt", "ec_paramgen_curve:P-256");
    }

    private static Pair selfSigned(Path dir, String name, String... keyArgs) {
        Pair p = new Pair(dir.resolve(name + "-cert.pem"), dir.resolve(name + "-key.pem"));
        List<String> cmd = new ArrayList<>(List.of("req", "-x509", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", p.key().toString(),
                "-out", p.cert().toString(), "-newkey"));
        cmd.addAll(List.of(keyArgs));
        openssl(cmd.toArray(String[]::new));
        return p;
    }

    /** Runs openssl; a missing openssl fails the calling test (every machine of this project has it). */
    static void openssl(String... args) {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process process;
        try {
            process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("openssl is needed to make test certificates", e);
        }
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("openssl " + String.join(" ", args) + " failed: " + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
