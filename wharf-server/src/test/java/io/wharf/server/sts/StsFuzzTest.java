package io.wharf.server.sts;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.wharf.core.identity.InMemoryIdentityStore;
import io.wharf.server.auth.WebIdentityException;
import io.wharf.server.auth.WebIdentityTokens;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * Fuzz targets of STS requests (docs/security.md#fuzzing): a query-protocol form (query string or body) read into
 * its parameters, the action and {@code DurationSeconds}; and an {@code AssumeRoleWithWebIdentity} token, parsed as
 * a signed JWT and its issuer looked up. Each yields values or throws {@link StsProblem} (MalformedQueryString,
 * InvalidAction, ValidationError …) or {@link WebIdentityException} (InvalidIdentityToken); anything else is a
 * bug. Seeds: {@code StsFuzzTestInputs/<target>/}.
 */
class StsFuzzTest {
    private static final WebIdentityTokens WEB_IDENTITIES = new WebIdentityTokens(new InMemoryIdentityStore(),
            Clock.systemUTC(), Duration.ofMinutes(5));

    @FuzzTest
    void forms(byte[] input) {
        try {
            Map<String, String> params = StsHandler.params(new String(input, UTF_8));
            StsHandler.duration(params);
            StsHandler.action(params);
        } catch (StsProblem refused) {
            // 400 with STS's error code
        }
    }

    /** No provider is registered: a token gets as far as its issuer (fetching keys would reach the network). */
    @FuzzTest
    void webIdentityTokens(byte[] input) {
        try {
            WEB_IDENTITIES.verify("123456789012", new String(input, UTF_8));
        } catch (WebIdentityException refused) {
            // InvalidIdentityToken
        }
    }
}
