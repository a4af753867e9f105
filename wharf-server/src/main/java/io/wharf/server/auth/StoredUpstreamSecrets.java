package io.wharf.server.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.core.identity.SecretSealer;
import io.wharf.core.secret.UpstreamSecret;
import io.wharf.core.secret.UpstreamSecrets;
import io.wharf.core.spi.SecretIndex;
import io.wharf.core.spi.SecretIndex.StoredSecret;
import io.wharf.server.config.WharfConfig;
import io.wharf.storage.jdbc.JdbcMetadataStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Named secrets of an account, sealed with the deployment's sealer (as access-key secrets are) before the
 * {@link SecretIndex} stores them, and opened only to log into an upstream: no API returns a value. Each is the JSON
 * ECR expects of a pull-through credential, {@code {"username": …, "accessToken": …}}.
 */
public final class StoredUpstreamSecrets implements UpstreamSecrets {
    /** Secrets Manager's name alphabet and length. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9/_+=.@-]{1,512}");
    /** Secrets Manager's largest secret value. */
    public static final int MAX_VALUE_BYTES = 65_536;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SecretIndex index;
    private final SecretSealer sealer;
    private final Clock clock;

    public StoredUpstreamSecrets(SecretIndex index, SecretSealer sealer, Clock clock) {
        this.index = index;
        this.sealer = sealer;
        this.clock = clock;
    }

    /** Over the metadata store, sealed with the key access keys are sealed with ({@code auth.sealing-key} or the key file). */
    public static StoredUpstreamSecrets open(WharfConfig config, JdbcMetadataStore metadata, Clock clock) throws IOException {
        return new StoredUpstreamSecrets(metadata.secrets(), AuthSetup.sealer(config, new SecureRandom()), clock);
    }

    /** Binds a sealed value to its row: moved to another account or name, it no longer opens. */
    public static String keyId(String account, String name) {
        return "secret:" + account + "/" + name;
    }

    @Override
    public Optional<UpstreamSecret> read(String account, String name) {
        return index.findSecret(account, name).map(s -> parse(sealer.open(keyId(account, name), s.sealed())));
    }

    /** Stores {@code json} (checked to be {@code {username, accessToken}}) sealed; true when the name was new. */
    public boolean put(String account, String name, String description, String json) {
        requireName(name);
        if (json.getBytes(StandardCharsets.UTF_8).length > MAX_VALUE_BYTES) {
            throw new IllegalArgumentException("a secret value may have at most " + MAX_VALUE_BYTES + " bytes");
        }
        UpstreamSecret secret = parse(json);
        ObjectNode canonical = JSON.createObjectNode().put("username", secret.username()).put("accessToken", secret.accessToken());
        byte[] sealed = sealer.seal(keyId(account, name), canonical.toString());
        return index.putSecret(account, name, description, sealed, clock.instant());
    }

    /** Names, descriptions and times: never values. */
    public List<StoredSecret> list(String account, String afterName, int limit) {
        return index.listSecrets(account, afterName, limit);
    }

    public Optional<StoredSecret> describe(String account, String name) {
        return index.findSecret(account, name);
    }

    public boolean delete(String account, String name) {
        return index.deleteSecret(account, name);
    }

    static void requireName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a secret name is 1-512 characters of A-Z a-z 0-9 / _ + = . @ -");
        }
    }

    /** The secret's two members; the message never includes the value. */
    static UpstreamSecret parse(String json) {
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the secret is not JSON");
        }
        String username = text(node, "username");
        String token = text(node, "accessToken");
        return new UpstreamSecret(username, token);
    }

    private static String text(JsonNode node, String member) {
        JsonNode v = node == null ? null : node.get(member);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw new IllegalArgumentException("the secret must be a JSON object with a non-empty string \"" + member + "\"");
        }
        return v.asText();
    }
}
