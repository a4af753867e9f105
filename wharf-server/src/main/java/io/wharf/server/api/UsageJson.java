package io.wharf.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.core.spi.AccountUsage;
import io.wharf.core.spi.DailyPulls;
import io.wharf.core.spi.RegistryUsage;
import io.wharf.core.spi.RepositoryUsage;
import java.util.List;

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
                .put("exclusiveBytes", u.exclusiveBytes()).put("logicalBytes", u.logicalBytes());
    }

    /** The account's totals and its pulls per day. */
    public static ObjectNode of(AccountUsage u, List<DailyPulls> pulls) {
        ObjectNode node = JSON.createObjectNode().put("account", u.account()).put("repositories", u.repositories())
                .put("images", u.images()).put("tags", u.tags()).put("manifestBytes", u.manifestBytes())
                .put("blobBytes", u.blobBytes()).put("logicalBytes", u.logicalBytes())
                .put("exclusiveBytes", u.exclusiveBytes());
        node.set("pulls", pulls(pulls));
        return node;
    }

    /** {@code [{"day":"2026-12-03","pulls":N,"bytes":B}]}, oldest first, days without pulls left out. */
    public static ArrayNode pulls(List<DailyPulls> days) {
        ArrayNode list = JSON.createArrayNode();
        days.forEach(d -> list.addObject().put("day", d.day().toString()).put("pulls", d.pulls()).put("bytes", d.bytes()));
        return list;
    }

    public static ObjectNode of(RegistryUsage u) {
        return JSON.createObjectNode().put("repositories", u.repositories()).put("images", u.images())
                .put("manifestBytes", u.manifestBytes()).put("blobs", u.blobs()).put("blobBytes", u.blobBytes())
                .put("unlinkedBlobs", u.unlinkedBlobs()).put("unlinkedBytes", u.unlinkedBytes())
                .put("storedBytes", u.blobBytes() + u.manifestBytes());
    }
}
