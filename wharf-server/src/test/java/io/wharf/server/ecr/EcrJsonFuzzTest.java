package io.wharf.server.ecr;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.wharf.core.error.RegistryException;
import io.wharf.core.memory.InMemoryBlobStore;
import io.wharf.core.memory.InMemoryMetadataStore;
import io.wharf.core.memory.InMemoryUploadStore;
import io.wharf.core.service.Registry;
import io.wharf.core.service.RegistryLimits;
import io.wharf.server.auth.DisabledAuth;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzz target of the ECR API's parser layer (docs/security.md#fuzzing): a JSON body read as the request record of
 * an operation, then the checks every call runs before its operation (registry id, repository name). Each either
 * yields a request or throws {@link EcrProblem} (or the domain's refusal of a name); anything else is a bug. The
 * first byte picks the operation (modulo the table's size, in name order). Seeds: {@code EcrJsonFuzzTestInputs/}.
 */
class EcrJsonFuzzTest {
    private static final List<EcrOperation<?>> OPERATIONS = operations();

    @FuzzTest
    void requestBodies(byte[] input) {
        if (input.length == 0) {
            return;
        }
        EcrOperation<?> op = OPERATIONS.get((input[0] & 0xff) % OPERATIONS.size());
        byte[] body = Arrays.copyOfRange(input, 1, input.length);
        try {
            EcrRequest req = EcrJson.read(body, op.requestType());
            Check.registryId(req.registryId());
            if (req instanceof EcrRequest.Repo repo) {
                Check.repositoryName("repositoryName", repo.repositoryName());
            }
            if (req instanceof EcrOperation.Arn arn) {
                EcrArn.parse(Check.required("resourceArn", arn.resourceArn()));
            }
        } catch (EcrProblem | RegistryException refused) {
            // SerializationException, InvalidParameterException ...
        }
    }

    private static List<EcrOperation<?>> operations() {
        InMemoryBlobStore blobs = new InMemoryBlobStore();
        Registry registry = new Registry(new InMemoryMetadataStore(), blobs, new InMemoryUploadStore(blobs,
                Clock.systemUTC()), RegistryLimits.defaults(), Clock.systemUTC());
        return new EcrOperations(registry, new DisabledAuth("123456789012", Clock.systemUTC()), "us-east-1").table()
                .values().stream().sorted(java.util.Comparator.comparing(EcrOperation::name)).toList();
    }
}
