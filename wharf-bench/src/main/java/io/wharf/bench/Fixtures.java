package io.wharf.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.HexFormat;
import java.util.stream.Stream;

/** Realistic documents for the benchmarks: manifests shaped like the ones skopeo, docker and podman push. */
final class Fixtures {
    static final String ACCOUNT = "000000000000";
    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    static final String OCI_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip";
    static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
    static final String DOCKER_LAYER = "application/vnd.docker.image.rootfs.diff.tar.gzip";

    private Fixtures() {
    }

    static String sha256(String seed) {
        return sha256(seed.getBytes(StandardCharsets.UTF_8));
    }

    static String sha256(byte[] content) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(content);
            return "sha256:" + HexFormat.of().formatHex(h);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String descriptor(String mediaType, String digest, long size) {
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest + "\",\"size\":" + size + "}";
    }

    /** An image manifest with a config and {@code layers} layers (digests derived from {@code seed}). */
    static byte[] imageManifest(String mediaType, String configType, String layerType, int layers, String seed) {
        StringBuilder sb = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"").append(mediaType)
                .append("\",\"config\":").append(descriptor(configType, sha256(seed + "/config"), 1469))
                .append(",\"layers\":[");
        for (int i = 0; i < layers; i++) {
            sb.append(i == 0 ? "" : ",").append(descriptor(layerType, sha256(seed + "/layer" + i), 29_000_000L + i));
        }
        sb.append("]");
        if (mediaType.equals(OCI_MANIFEST)) {
            sb.append(",\"annotations\":{\"org.opencontainers.image.created\":\"2025-01-01T00:00:00Z\","
                    + "\"org.opencontainers.image.source\":\"https://example.com/app\"}");
        }
        return sb.append("}").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The image manifests an index of {@code platforms} platforms lists, one per platform. */
    static List<byte[]> indexChildren(int platforms) {
        List<byte[]> children = new ArrayList<>();
        for (int i = 0; i < platforms; i++) {
            children.add(imageManifest(OCI_MANIFEST, OCI_CONFIG, OCI_LAYER, 2, "platform" + i));
        }
        return children;
    }

    /** An OCI index over {@code platforms} image manifests ({@link #indexChildren}), with their true digests and sizes. */
    static byte[] index(int platforms) {
        String[] archs = {"amd64", "arm64", "arm", "ppc64le", "s390x", "386", "riscv64", "mips64le"};
        List<byte[]> children = indexChildren(platforms);
        StringBuilder sb = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_INDEX + "\",\"manifests\":[");
        for (int i = 0; i < platforms; i++) {
            byte[] child = children.get(i);
            sb.append(i == 0 ? "" : ",").append("{\"mediaType\":\"" + OCI_MANIFEST + "\",\"digest\":\"")
                    .append(sha256(child)).append("\",\"size\":").append(child.length)
                    .append(",\"platform\":{\"architecture\":\"").append(archs[i % archs.length])
                    .append("\",\"os\":\"linux\"}}");
        }
        return sb.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A scratch directory on tmpfs when there is one (setup writes fast; reads come from memory anyway). */
    static Path tempDir(String prefix) throws IOException {
        Path shm = Path.of("/dev/shm");
        return Files.isDirectory(shm) && Files.isWritable(shm)
                ? Files.createTempDirectory(shm, prefix) : Files.createTempDirectory(prefix);
    }

    static void deleteTree(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
