package io.wharf.server.secrets;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.core.spi.SecretIndex.StoredSecret;
import io.wharf.server.auth.StoredUpstreamSecrets;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The Secrets Manager operations ECR users script pull-through credentials with: CreateSecret, PutSecretValue,
 * DescribeSecret, ListSecrets, DeleteSecret. No operation returns a value (GetSecretValue is refused): Wharf opens
 * secrets only to log into an upstream. ARNs are {@code arn:aws:secretsmanager:<region>:<account>:secret:<name>}
 * (AWS appends six random characters; Wharf does not, so the ARN a pull-through rule names is predictable).
 */
final class SecretsManagerOperations {
    static final int MAX_LIST = 100;
    static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    private final StoredUpstreamSecrets secrets;
    private final String region;

    SecretsManagerOperations(StoredUpstreamSecrets secrets, String region) {
        this.secrets = secrets;
        this.region = region;
    }

    record Request(@JsonProperty("Name") String name, @JsonProperty("Description") String description,
                   @JsonProperty("SecretString") String secretString, @JsonProperty("SecretBinary") String secretBinary,
                   @JsonProperty("SecretId") String secretId, @JsonProperty("ClientRequestToken") String clientRequestToken,
                   @JsonProperty("MaxResults") Integer maxResults, @JsonProperty("NextToken") String nextToken) {
    }

    record Answer(@JsonProperty("ARN") String arn, @JsonProperty("Name") String name,
                  @JsonProperty("Description") String description, @JsonProperty("VersionId") String versionId,
                  @JsonProperty("VersionStages") List<String> versionStages,
                  @JsonProperty("CreatedDate") Double createdDate, @JsonProperty("LastChangedDate") Double lastChangedDate,
                  @JsonProperty("DeletionDate") Double deletionDate) {
    }

    record ListAnswer(@JsonProperty("SecretList") List<Answer> secretList, @JsonProperty("NextToken") String nextToken) {
    }

    static Request parse(byte[] body) {
        try {
            Request r = body.length == 0 ? null : JSON.readValue(body, Request.class);
            return r != null ? r : new Request(null, null, null, null, null, null, null, null);
        } catch (IOException e) {
            throw new SecretsProblem("SerializationException", "the request body is not a JSON object of the operation's members");
        }
    }

    /** The secret's ARN; {@code secretId} may be a name or such an ARN. */
    String arn(String account, String name) {
        return "arn:aws:secretsmanager:" + region + ":" + account + ":secret:" + name;
    }

    String nameOf(String account, String secretId) {
        if (secretId == null || secretId.isEmpty()) {
            throw SecretsProblem.invalid("SecretId is required");
        }
        String prefix = "arn:aws:secretsmanager:";
        if (!secretId.startsWith(prefix)) {
            return secretId;
        }
        String own = arn(account, "");
        if (!secretId.startsWith(own)) {
            throw notFound(secretId);
        }
        return secretId.substring(own.length());
    }

    /** Every operation {@link #run} answers (GetSecretValue and BatchGetSecretValue with a refusal). */
    static final java.util.Set<String> OPERATIONS = java.util.Set.of("CreateSecret", "PutSecretValue", "DescribeSecret",
            "ListSecrets", "DeleteSecret", "GetSecretValue", "BatchGetSecretValue");

    Object run(String operation, String account, Request req) {
        return switch (operation) {
            case "CreateSecret" -> create(account, req);
            case "PutSecretValue" -> putValue(account, req);
            case "DescribeSecret" -> describe(account, req);
            case "ListSecrets" -> list(account, req);
            case "DeleteSecret" -> delete(account, req);
            case "GetSecretValue", "BatchGetSecretValue" -> throw new SecretsProblem("InvalidRequestException",
                    "Wharf never returns secret values; they are only used to log into pull-through cache upstreams");
            default -> throw new SecretsProblem("UnknownOperationException", "Unknown operation secretsmanager." + operation);
        };
    }

    private Answer create(String account, Request req) {
        String name = req.name();
        requireValue(req);
        if (!guard(() -> secrets.create(account, name, req.description(), req.secretString()))) {
            throw new SecretsProblem("ResourceExistsException", "The operation failed because the secret " + name
                    + " already exists.");
        }
        return new Answer(arn(account, name), name, null, version(req), null, null, null, null);
    }

    private Answer putValue(String account, Request req) {
        String name = nameOf(account, req.secretId());
        requireValue(req);
        if (!guard(() -> secrets.replace(account, name, null, req.secretString()))) {
            throw notFound(name);
        }
        return new Answer(arn(account, name), name, null, version(req), List.of("AWSCURRENT"), null, null, null);
    }

    private Answer describe(String account, Request req) {
        String name = nameOf(account, req.secretId());
        StoredSecret s = secrets.describe(account, name).orElseThrow(() -> notFound(name));
        return shape(account, s);
    }

    private ListAnswer list(String account, Request req) {
        int size = req.maxResults() == null ? MAX_LIST : req.maxResults();
        if (size < 1 || size > MAX_LIST) {
            throw SecretsProblem.invalid("MaxResults must be between 1 and " + MAX_LIST);
        }
        List<StoredSecret> page = secrets.list(account, req.nextToken(), size + 1);
        List<Answer> shapes = page.stream().limit(size).map(s -> shape(account, s)).toList();
        String next = page.size() > size ? page.get(size - 1).name() : null;
        return new ListAnswer(shapes, next);
    }

    /** Deleted at once: Wharf keeps no recovery window (ForceDeleteWithoutRecovery is what it always does). */
    private Answer delete(String account, Request req) {
        String name = nameOf(account, req.secretId());
        if (!secrets.delete(account, name)) {
            throw notFound(name);
        }
        return new Answer(arn(account, name), name, null, null, null, null, null, seconds(Instant.now()));
    }

    private Answer shape(String account, StoredSecret s) {
        return new Answer(arn(account, s.name()), s.name(), s.description(), null, null, seconds(s.createdAt()),
                seconds(s.updatedAt()), null);
    }

    private static void requireValue(Request req) {
        if (req.secretBinary() != null) {
            throw SecretsProblem.invalid("Wharf stores only SecretString: JSON with username and accessToken");
        }
        if (req.secretString() == null) {
            throw SecretsProblem.invalid("SecretString is required");
        }
    }

    /** A bad name or value is the caller's: InvalidParameterException with a message that never holds the value. */
    private static boolean guard(java.util.function.BooleanSupplier write) {
        try {
            return write.getAsBoolean();
        } catch (IllegalArgumentException e) {
            throw SecretsProblem.invalid(e.getMessage());
        }
    }

    private static String version(Request req) {
        return req.clientRequestToken() != null ? req.clientRequestToken() : UUID.randomUUID().toString();
    }

    private static Double seconds(Instant t) {
        return t.toEpochMilli() / 1000.0;
    }

    private static SecretsProblem notFound(String name) {
        return new SecretsProblem("ResourceNotFoundException", "Secrets Manager can't find the specified secret: " + name);
    }
}
