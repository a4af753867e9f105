package io.wharf.server.replication;

import io.wharf.core.remote.RemoteCredentials;
import io.wharf.core.replication.RemoteTargets;
import io.wharf.server.config.WharfConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.Optional;

/**
 * The regions of {@code replication.regions-file} as replication targets: a region's endpoint with its AWS keys
 * (the secret read from its file at each use, so a rotated secret applies without a restart), or anonymous.
 */
public final class ConfiguredRegions implements RemoteTargets {
    private final Map<String, WharfConfig.Region> regions;

    public ConfiguredRegions(Map<String, WharfConfig.Region> regions) {
        this.regions = Map.copyOf(regions);
    }

    @Override
    public Optional<RemoteTarget> target(String region) {
        WharfConfig.Region r = regions.get(region);
        if (r == null) {
            return Optional.empty();
        }
        RemoteCredentials credentials = r.accessKeyId().isEmpty() ? RemoteCredentials.ANONYMOUS
                : new RemoteCredentials.AwsKeys(r.accessKeyId().get(), secret(r), region);
        return Optional.of(new RemoteTarget(r.endpoint(), credentials));
    }

    private static String secret(WharfConfig.Region r) {
        try {
            return Files.readString(r.secretAccessKeyFile().orElseThrow()).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("the secret-access-key-file of " + r.endpoint() + " cannot be read", e);
        }
    }
}
