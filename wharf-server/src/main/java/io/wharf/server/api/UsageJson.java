package io.wharf.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.core.spi.RegistryUsage;
import io.wharf.core.spi.RepositoryUsage;

/** The JSON of usage, one shape for the API and {@code wharf usage --json}. */
public final class UsageJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private UsageJson() {
    }

    public static ObjectNode object() {
        return JSON.createObjectNode();
    }

    public static ObjectNode of(RepositoryUsage u) {
        return JSON.createObjectNode().put("name", u.name().value()).put("images", u.images()).put("tags", u.tags())
                .put("manifestBytes", u.manifestBytes()).put("blobs", u.blobs()).put("blobBytes", u.blobBytes())
                .put("exclusiveBytes", u.exclusiveBytes());
    }

    public static ObjectNode of(RegistryUsage u) {
        return JSON.createObjectNode().put("repositories", u.repositories()).put("images", u.images())
                .put("manifestBytes", u.manifestBytes()).put("blobs", u.blobs()).put("blobBytes", u.blobBytes())
                .put("unlinkedBlobs", u.unlinkedBlobs()).put("unlinkedBytes", u.unlinkedBytes());
    }
}
