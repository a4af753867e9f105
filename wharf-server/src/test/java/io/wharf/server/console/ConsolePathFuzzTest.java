package io.wharf.server.console;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.wharf.core.error.RegistryException;
import io.wharf.core.identity.IdentityException;
import io.wharf.core.identity.IdentityNames;
import io.wharf.core.model.Digest;
import io.wharf.core.model.RepositoryName;

/**
 * Fuzz target of the console's paths (docs/security.md#fuzzing): a raw path routed by {@link ConsolePath#parse}, then
 * the repository, digest and user it names checked as {@link ConsoleCall} checks them. Routing never throws; the
 * checks refuse with the registry's errors (NAME_INVALID, DIGEST_INVALID) or {@link IdentityException}
 * (INVALID_INPUT); anything else is a bug. A path not starting with {@code /} is put under {@code /console/}.
 * Seeds: {@code ConsolePathFuzzTestInputs/paths/}.
 */
class ConsolePathFuzzTest {
    @FuzzTest
    void paths(byte[] input) {
        String raw = new String(input, UTF_8);
        ConsolePath path = ConsolePath.parse(raw.startsWith("/") ? raw : ConsolePath.PREFIX + raw);
        if (path == null) {
            return;
        }
        try {
            if (path.name() != null) {
                RepositoryName.parse(path.name(), 256);
            }
            if (path.digest() != null) {
                Digest.parse(path.digest());
            }
            if (path.user() != null) {
                IdentityNames.requireUserName(path.user());
            }
        } catch (RegistryException | IdentityException refused) {
            // 400 page
        }
    }
}
