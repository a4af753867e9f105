package io.wharf.bench;

import io.wharf.core.iam.Principal;
import io.wharf.server.auth.RegistryTokens;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * ECR registry-token verification, done on every authenticated {@code /v2/} request: decode the Basic
 * credentials, recompute the HMAC-SHA256, compare in constant time, parse the payload, check expiry.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TokenVerificationBenchmark {
    private RegistryTokens tokens;
    private String password;
    private String authorization;

    @Setup
    public void setUp() {
        byte[] key = new byte[RegistryTokens.KEY_BYTES];
        new SecureRandom().nextBytes(key);
        tokens = new RegistryTokens(key, Clock.systemUTC());
        password = tokens.issue(Principal.user(Fixtures.ACCOUNT, "ci/builder")).password();
        authorization = "Basic " + Base64.getEncoder().encodeToString(("AWS:" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** The token alone. */
    @Benchmark
    public Principal verify() {
        return tokens.verify(password);
    }

    /** From the Authorization header as it arrives: Base64, split user and password, verify. */
    @Benchmark
    public Principal verifyBasicHeader() {
        String decoded = new String(Base64.getDecoder().decode(authorization.substring(6)), StandardCharsets.UTF_8);
        int colon = decoded.indexOf(':');
        if (colon < 0 || !decoded.startsWith("AWS")) {
            throw new IllegalStateException();
        }
        return tokens.verify(decoded.substring(colon + 1));
    }
}
