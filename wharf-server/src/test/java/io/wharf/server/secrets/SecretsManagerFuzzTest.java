package io.wharf.server.secrets;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.wharf.core.memory.InMemoryMetadataStore;
import io.wharf.server.auth.AesGcmSecretSealer;
import io.wharf.server.auth.StoredUpstreamSecrets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzz target of the Secrets Manager API (docs/security.md#fuzzing): a JSON body parsed as the request, the secret it
 * names resolved as the handler does to authorize it, then the operation run on an in-memory store. Each either
 * answers or throws {@link SecretsProblem} (SerializationException, InvalidParameterException …); anything else
 * would be a 500 and is a bug. The first byte picks the operation (modulo the list, in name order, plus an unknown
 * one). Seeds: {@code SecretsManagerFuzzTestInputs/requestBodies/}.
 */
class SecretsManagerFuzzTest {
    private static final String ACCOUNT = "123456789012";
    private static final List<String> OPERATIONS = operations();
    private static final StoredUpstreamSecrets SECRETS = new StoredUpstreamSecrets(new InMemoryMetadataStore().secrets(),
            new AesGcmSecretSealer(new byte[AesGcmSecretSealer.KEY_BYTES], new SecureRandom()), Clock.systemUTC());
    private static final SecretsManagerOperations OPS = new SecretsManagerOperations(SECRETS, "us-east-1");

    @FuzzTest
    void requestBodies(byte[] input) {
        if (input.length == 0) {
            return;
        }
        String operation = OPERATIONS.get((input[0] & 0xff) % OPERATIONS.size());
        try {
            SecretsManagerOperations.Request req = SecretsManagerOperations.parse(Arrays.copyOfRange(input, 1, input.length));
            if (req.name() == null && req.secretId() != null) {
                OPS.nameOf(ACCOUNT, req.secretId()); // the handler's authorization resource
            }
            OPS.run(operation, ACCOUNT, req);
        } catch (SecretsProblem refused) {
            // a 400 with its __type
        } finally {
            SECRETS.list(ACCOUNT, null, 1000).forEach(s -> SECRETS.delete(ACCOUNT, s.name()));
        }
    }

    private static List<String> operations() {
        List<String> ops = new java.util.ArrayList<>(SecretsManagerOperations.OPERATIONS.stream().sorted().toList());
        ops.add("RotateSecret");
        return List.copyOf(ops);
    }
}
