package io.wharf.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * {@code replication.regions-file}: the other regions a deployment replicates to, as JSON
 * <pre>{"us-west-2": {"endpoint": "https://wharf.west.example:5000", "access-key-id": "AKIA…",
 *                "secret-access-key-file": "/etc/wharf/west.secret"}}</pre>
 * The secret stays in its file (read when a replication starts, so it can be rotated without a restart).
 */
final class ReplicationRegionsFile {
    private static final Pattern REGION = Pattern.compile("[0-9a-z-]{2,25}");
    private static final Set<String> KEYS = Set.of("endpoint", "access-key-id", "secret-access-key-file");
    private static final long MAX_BYTES = 1 << 20;

    private ReplicationRegionsFile() {
    }

    static Map<String, WharfConfig.Region> read(Path file) {
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new ConfigException("replication.regions-file " + file + " is larger than 1 MiB");
            }
            JsonNode root = new ObjectMapper().readTree(Files.readString(file));
            if (root == null || !root.isObject()) {
                throw new ConfigException("replication.regions-file " + file + " must hold a JSON object of regions");
            }
            Map<String, WharfConfig.Region> out = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                out.put(e.getKey(), region(file, e.getKey(), e.getValue()));
            }
            return out;
        } catch (IOException e) {
            throw new ConfigException("replication.regions-file " + file + " cannot be read: " + e.getMessage());
        }
    }

    private static WharfConfig.Region region(Path file, String name, JsonNode node) {
        String at = "replication.regions-file " + file + ", region " + name + ": ";
        if (!REGION.matcher(name).matches() || !node.isObject()) {
            throw new ConfigException(at + "a region is [0-9a-z-]{2,25} with an object of endpoint, access-key-id, secret-access-key-file");
        }
        node.fieldNames().forEachRemaining(k -> {
            if (!KEYS.contains(k)) {
                throw new ConfigException(at + "unknown key '" + k + "'; known keys: " + new TreeMap<>(Map.of(
                        "endpoint", 1, "access-key-id", 2, "secret-access-key-file", 3)).keySet());
            }
        });
        URI endpoint = endpoint(at, node.path("endpoint").asText(""));
        Optional<String> key = Optional.ofNullable(node.path("access-key-id").textValue());
        Optional<Path> secret = Optional.ofNullable(node.path("secret-access-key-file").textValue()).map(Path::of);
        if (key.isPresent() != secret.isPresent()) {
            throw new ConfigException(at + "access-key-id and secret-access-key-file go together");
        }
        return new WharfConfig.Region(endpoint, key, secret);
    }

    private static URI endpoint(String at, String text) {
        try {
            URI uri = URI.create(text);
            boolean ok = ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
                    && (uri.getPath() == null || uri.getPath().isEmpty() || uri.getPath().equals("/"));
            if (ok) {
                return URI.create(uri.getScheme() + "://" + uri.getRawAuthority());
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new ConfigException(at + "endpoint must be http(s)://host[:port], was '" + text + "'");
    }
}
