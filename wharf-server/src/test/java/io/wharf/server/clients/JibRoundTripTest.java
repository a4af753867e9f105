package io.wharf.server.clients;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.api.buildplan.Platform;
import io.wharf.server.oci.Fixtures;
import io.wharf.server.oci.RegistryTest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jib core, the library behind the Jib Maven and Gradle plugins, pushing to and pulling from Wharf
 * over plain HTTP. Jib tries HTTPS first, so every test also proves the plain port survives a TLS
 * ClientHello and Jib falls back cleanly.
 */
class JibRoundTripTest extends RegistryTest {
    static final List<String> LOG = new CopyOnWriteArrayList<>();
    @TempDir
    static Path tmp;



    @Test
    void pushFromScratchThenRepushGivesTheSameDigest() throws Exception {
        JibContainer first = containerize(scratchWith("hello.txt", "hello"), "jib/scratch:v1");
        assertThat(manifestDigest("jib/scratch", "v1")).isEqualTo(first.getDigest().toString());
        JibContainer again = containerize(scratchWith("hello.txt", "hello"), "jib/scratch:v1");
        assertThat(again.getDigest()).isEqualTo(first.getDigest());
        // Jib tried TLS on the plain port, got an answer it could not parse as TLS, and fell back to HTTP
        assertThat(LOG).anySatisfy(m -> assertThat(m).contains("over HTTPS").contains("Attempting again with HTTP"));
    }

    @Test
    void pushOnABasePulledFromWharf() throws Exception {
        containerize(scratchWith("base.txt", "base layer"), "jib/base:1");
        JibContainerBuilder app = Jib.from(RegistryImage.named(ref("jib/base:1")))
                .addLayer(List.of(file("app.txt", "app layer")), AbsoluteUnixPath.get("/app"))
                .setCreationTime(Instant.EPOCH);
        JibContainer pushed = containerize(app, "jib/app:1");
        JsonNode manifest = manifest("jib/app", pushed.getDigest().toString());
        assertThat(manifest.get("layers")).hasSize(2);
        for (JsonNode layer : manifest.get("layers")) {
            assertThat(r.head("/v2/jib/app/blobs/" + layer.get("digest").asText()).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void pullToATarball() throws Exception {
        JibContainer pushed = containerize(scratchWith("pull.txt", "pull me"), "jib/pull:1");
        Path tar = tmp.resolve("pulled.tar");
        JibContainer pulled = Jib.from(RegistryImage.named(ref("jib/pull:1")))
                .containerize(caches(Containerizer.to(TarImage.at(tar).named("pulled:1"))));
        assertThat(pulled.getImageId()).isEqualTo(pushed.getImageId());
        assertThat(Files.size(tar)).isGreaterThan(0);
        String listing = new String(new ProcessBuilder("tar", "-tf", tar.toString()).start().getInputStream().readAllBytes());
        JsonNode layer = manifest("jib/pull", "1").get("layers").get(0);
        assertThat(listing).contains(layer.get("digest").asText().substring(7));
    }

    @Test
    void multiPlatformFromAnIndex() throws Exception {
        JibContainer amd64 = containerize(scratchWith("arch.txt", "amd64").setPlatforms(Set.of(new Platform("amd64", "linux"))), "jib/multi:amd64");
        JibContainer arm64 = containerize(scratchWith("arch.txt", "arm64").setPlatforms(Set.of(new Platform("arm64", "linux"))), "jib/multi:arm64");
        String type = "application/vnd.docker.distribution.manifest.v2+json";
        String list = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.docker.distribution.manifest.list.v2+json\",\"manifests\":["
                + child(type, amd64, "amd64") + "," + child(type, arm64, "arm64") + "]}";
        HttpResponse<byte[]> put = r.send("PUT", "/v2/jib/multi/manifests/latest", list.getBytes(),
                "Content-Type", "application/vnd.docker.distribution.manifest.list.v2+json");
        assertThat(put.statusCode()).isEqualTo(201);

        JibContainerBuilder app = Jib.from(RegistryImage.named(ref("jib/multi:latest")))
                .setPlatforms(Set.of(new Platform("amd64", "linux"), new Platform("arm64", "linux")))
                .addLayer(List.of(file("m.txt", "multi")), AbsoluteUnixPath.get("/app"));
        JibContainer pushed = containerize(app, "jib/multi-app:1");
        JsonNode index = manifest("jib/multi-app", pushed.getDigest().toString());
        assertThat(index.get("manifests")).hasSize(2);
        for (JsonNode m : index.get("manifests")) {
            assertThat(r.get("/v2/jib/multi-app/manifests/" + m.get("digest").asText()).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void ociFormat() throws Exception {
        JibContainer pushed = containerize(scratchWith("oci.txt", "oci").setFormat(ImageFormat.OCI), "jib/oci:1");
        HttpResponse<byte[]> get = r.get("/v2/jib/oci/manifests/1");
        assertThat(get.headers().firstValue("Content-Type")).hasValue("application/vnd.oci.image.manifest.v1+json");
        assertThat(get.headers().firstValue("Docker-Content-Digest")).hasValue(pushed.getDigest().toString());
    }

    private static String child(String type, JibContainer c, String arch) throws Exception {
        long size = r.get("/v2/jib/multi/manifests/" + c.getDigest()).body().length;
        return "{\"mediaType\":\"" + type + "\",\"digest\":\"" + c.getDigest() + "\",\"size\":" + size
                + ",\"platform\":{\"architecture\":\"" + arch + "\",\"os\":\"linux\"}}";
    }

    private static JibContainerBuilder scratchWith(String name, String content) throws Exception {
        return Jib.fromScratch().addLayer(List.of(file(name, content)), AbsoluteUnixPath.get("/data"))
                .setEntrypoint("/data/" + name).setCreationTime(Instant.EPOCH);
    }

    private static Path file(String name, String content) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("files-" + name + "-" + content.hashCode()));
        return Files.writeString(dir.resolve(name), content);
    }

    private static JibContainer containerize(JibContainerBuilder builder, String target) throws Exception {
        return builder.containerize(caches(Containerizer.to(RegistryImage.named(ref(target)))));
    }

    private static Containerizer caches(Containerizer c) {
        return c.setAllowInsecureRegistries(true)
                .addEventHandler(LogEvent.class, e -> LOG.add(e.getMessage()))
                .setBaseImageLayersCache(tmp.resolve("base-cache"))
                .setApplicationLayersCache(tmp.resolve("app-cache"));
    }

    private static String ref(String repoAndTag) {
        return "127.0.0.1:" + r.port + "/" + repoAndTag;
    }

    private static String manifestDigest(String repo, String reference) throws Exception {
        return r.get("/v2/" + repo + "/manifests/" + reference).headers().firstValue("Docker-Content-Digest").orElseThrow();
    }

    private static JsonNode manifest(String repo, String reference) throws Exception {
        HttpResponse<byte[]> res = r.get("/v2/" + repo + "/manifests/" + reference);
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(Fixtures.digest(res.body())).isEqualTo(res.headers().firstValue("Docker-Content-Digest").orElseThrow());
        return new ObjectMapper().readTree(res.body());
    }
}
