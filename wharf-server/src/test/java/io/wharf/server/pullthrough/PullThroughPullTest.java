package io.wharf.server.pullthrough;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.event.RegistryEvent;
import io.wharf.core.event.StoredEvent;
import io.wharf.core.model.Digest;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.model.Tag;
import io.wharf.core.remote.RemoteCredentials;
import io.wharf.core.remote.RemoteRegistry;
import io.wharf.core.spi.MetadataStore;
import io.wharf.core.spi.Repository;
import io.wharf.server.config.WharfConfig;
import io.wharf.server.remote.HttpRemoteRegistries;
import io.wharf.server.pullthrough.Images.Image;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ecr.EcrClient;

/**
 * Pulls through a cache (a Wharf, auth off) in front of another Wharf (auth off) over real HTTP: first pulls by tag
 * and by digest, an index with its children, one upstream fetch for concurrent first pulls, tag refresh (interval and
 * forced), and cached content served while the upstream is down.
 */
class PullThroughPullTest {
    @TempDir
    Path upstreamData;
    @TempDir
    Path cacheData;
    private final HttpRemoteRegistries client = new HttpRemoteRegistries(WharfConfig.Remote.DEFAULTS);
    private final CountingRemotes counted = new CountingRemotes(client);
    private final HttpClient http = HttpClient.newHttpClient();
    private WharfNode upstream;
    private WharfNode cache;
    private RemoteRegistry up;

    private void start(Duration tagRefresh) throws Exception {
        upstream = new WharfNode(upstreamData, false, client, c -> c);
        cache = new WharfNode(cacheData, false, counted, c -> c.withPullThrough(
                new WharfConfig.PullThrough(tagRefresh, Duration.ofSeconds(5), 50, Duration.ofMillis(200))));
        up = client.open(upstream.endpoint(), RemoteCredentials.ANONYMOUS);
        try (EcrClient ecr = cache.root()) {
            ecr.createPullThroughCacheRule(b -> b.ecrRepositoryPrefix("up").upstreamRegistryUrl(upstream.endpoint().toString()));
        }
    }

    @AfterEach
    void stop() throws Exception {
        if (cache != null) {
            cache.close();
        }
        if (upstream != null) {
            upstream.close();
        }
        client.close();
    }

    private HttpResponse<byte[]> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(cache.endpoint() + path)).GET();
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.header("Accept", "application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json")
                .build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private void assertPulls(String repo, String reference, Image image) throws Exception {
        HttpResponse<byte[]> m = get("/v2/" + repo + "/manifests/" + reference);
        assertThat(m.statusCode()).isEqualTo(200);
        assertThat(m.body()).isEqualTo(image.manifest());
        assertThat(m.headers().firstValue("Docker-Content-Digest")).contains(image.digest().toString());
        for (byte[] blob : image.blobs()) {
            HttpResponse<byte[]> b = get("/v2/" + repo + "/blobs/" + Digest.sha256Of(blob));
            assertThat(b.statusCode()).isEqualTo(200);
            assertThat(b.body()).isEqualTo(blob);
        }
    }

    private MetadataStore meta() {
        return cache.registry.metadata();
    }

    private Optional<Repository> repository(String name) {
        return meta().findRepository(cache.config.account(), new RepositoryName(name));
    }

    /** Waits for the background import to store the manifest. */
    private void awaitStored(String repo, Digest digest) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            Optional<Repository> r = repository(repo);
            if (r.isPresent() && meta().findManifest(r.get().id(), digest).isPresent()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(digest + " was not stored in " + repo);
    }

    private List<RegistryEvent.ImageCached> cachedEvents() {
        List<RegistryEvent.ImageCached> found = new ArrayList<>();
        for (StoredEvent e : meta().eventsAfter(0, 10_000)) {
            if (e.event() instanceof RegistryEvent.ImageCached c) {
                found.add(c);
            }
        }
        return found;
    }

    @Test
    void aFirstPullByTagIsServedFromTheUpstreamThenFromTheCacheWhenTheUpstreamIsDown() throws Exception {
        start(Duration.ofHours(24));
        Image image = Images.push(up, "library/app", "v1", "amd64", 3 << 20, 100_000, 0);
        assertPulls("up/library/app", "v1", image);
        awaitStored("up/library/app", image.digest());
        Repository repo = repository("up/library/app").orElseThrow();
        assertThat(meta().resolveTag(repo.id(), new Tag("v1"))).contains(image.digest());
        assertThat(cachedEvents()).singleElement().satisfies(e -> {
            assertThat(e.result()).isEqualTo("SUCCESS");
            assertThat(e.tag()).isEqualTo(new Tag("v1"));
            assertThat(e.upstreamRepository()).isEqualTo("library/app");
        });

        upstream.close();
        upstream = null;
        assertPulls("up/library/app", "v1", image);
        assertPulls("up/library/app", image.digest().toString(), image);
        assertThat(get("/v2/up/library/app/manifests/v1", "Cache-Control", "no-cache").statusCode())
                .as("a forced refresh with the upstream down serves the cached tag").isEqualTo(200);
        assertThat(get("/v2/up/library/other/manifests/v1").statusCode()).as("nothing cached: unavailable")
                .isEqualTo(503);
    }

    @Test
    void anUpstreamServingOtherBytesThanTheDigestGetsTheClientNoCompleteBlobAndStoresNothing() throws Exception {
        start(Duration.ofHours(24));
        Image image = Images.push(up, "bad/app", "v1", "amd64", 3 << 20);
        byte[] layer = image.blobs().get(1);
        Digest digest = Digest.sha256Of(layer);
        String hex = digest.toString().substring("sha256:".length());
        Path file = upstreamData.resolve("blobs/sha256/" + hex.substring(0, 2) + "/" + hex);
        try (java.io.RandomAccessFile raf = new java.io.RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(layer.length / 2); // same size, other bytes: the upstream serves them as they are
            raf.write(layer[layer.length / 2] ^ 0xff);
        }
        String path = "/v2/up/bad/app/blobs/" + digest;
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                HttpResponse<byte[]> r = get(path);
                assertThat(r.statusCode() == 200 && r.body().length == layer.length)
                        .as("a complete body of the announced length").isFalse();
            } catch (java.io.IOException expected) {
                // the held-back last piece never came: the transfer broke off short
            }
        }
        io.wharf.core.service.RepoKey key = new io.wharf.core.service.RepoKey(cache.config.account(),
                new RepositoryName("up/bad/app"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> cache.registry.blobs().stat(key, digest))
                .isInstanceOf(io.wharf.core.error.RegistryException.class);
    }

    /** The last piece goes out once the digest is verified; storing can still fail after that (here: the rename). */
    @Test
    void aBlobThatCannotBeStoredAfterItsDigestWasVerifiedStillReachesTheClientWhole() throws Exception {
        start(Duration.ofHours(24));
        Image image = Images.push(up, "lib/app", "v1", "amd64", 3 << 20);
        byte[] layer = image.blobs().get(1);
        Digest digest = Digest.sha256Of(layer);
        Path shard = cacheData.resolve("blobs/sha256/" + digest.hex().substring(0, 2));
        java.nio.file.Files.createDirectories(shard.getParent());
        java.nio.file.Files.writeString(shard, "a file where the blob's directory would be: the commit fails");
        for (int attempt = 1; attempt <= 2; attempt++) {
            HttpResponse<byte[]> r = get("/v2/up/lib/app/blobs/" + digest);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo(layer);
            assertThat(counted.fetches(digest.toString())).as("not stored: fetched again").isEqualTo(attempt);
        }
        io.wharf.core.service.RepoKey key = new io.wharf.core.service.RepoKey(cache.config.account(),
                new RepositoryName("up/lib/app"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> cache.registry.blobs().stat(key, digest))
                .isInstanceOf(io.wharf.core.error.RegistryException.class);
        java.nio.file.Files.delete(shard);
        assertThat(get("/v2/up/lib/app/blobs/" + digest).body()).isEqualTo(layer);
        for (int i = 0; i < 200 && !meta().findRepository(key.account(), key.name())
                .map(r -> meta().linkedBlobSize(r.id(), digest).isPresent()).orElse(false); i++) {
            Thread.sleep(50); // the client has the blob before it is committed
        }
        assertThat(cache.registry.blobs().stat(key, digest)).as("stored once it can be").isEqualTo(layer.length);
    }

    @Test
    void aFirstPullByDigestIsCachedWithoutATag() throws Exception {
        start(Duration.ofHours(24));
        Image image = Images.push(up, "tools/cli", null, "arm64", 50_000);
        assertPulls("up/tools/cli", image.digest().toString(), image);
        awaitStored("up/tools/cli", image.digest());
        Repository repo = repository("up/tools/cli").orElseThrow();
        assertThat(meta().findImage(repo.id(), image.digest()).orElseThrow().tags()).isEmpty();
        assertThat(get("/v2/up/tools/cli/manifests/sha256:" + "0".repeat(64)).statusCode()).isEqualTo(404);
        assertThat(get("/v2/up/tools/nothing/manifests/latest").statusCode()).isEqualTo(404);
    }

    @Test
    void anIndexIsCachedWithAllItsChildren() throws Exception {
        start(Duration.ofHours(24));
        Image amd = Images.push(up, "multi", null, "amd64", 20_000, 30_000);
        Image arm = Images.push(up, "multi", null, "arm64", 40_000);
        byte[] index = Images.index(up, "multi", "1.0", amd, arm);
        HttpResponse<byte[]> res = get("/v2/up/multi/manifests/1.0");
        assertThat(res.body()).isEqualTo(index);
        assertPulls("up/multi", amd.digest().toString(), amd); // the client pulls its platform only
        awaitStored("up/multi", Digest.sha256Of(index));
        upstream.close();
        upstream = null;
        assertPulls("up/multi", arm.digest().toString(), arm); // the other one was cached too
        assertThat(get("/v2/up/multi/manifests/1.0").body()).isEqualTo(index);
    }

    @Test
    void concurrentFirstPullsFetchEachManifestAndBlobOnce() throws Exception {
        start(Duration.ofHours(24));
        Image image = Images.push(up, "busy", "v1", "amd64", 8 << 20);
        Digest layer = Digest.sha256Of(image.blobs().get(1));
        List<HttpResponse<byte[]>> manifests = concurrently(8, () -> get("/v2/up/busy/manifests/v1"));
        assertThat(manifests).allSatisfy(r -> assertThat(r.body()).isEqualTo(image.manifest()));
        List<HttpResponse<byte[]>> blobs = concurrently(8, () -> get("/v2/up/busy/blobs/" + layer));
        assertThat(blobs).allSatisfy(r -> assertThat(r.body()).isEqualTo(image.blobs().get(1)));
        awaitStored("up/busy", image.digest());
        assertThat(counted.fetches("v1")).isEqualTo(1);
        assertThat(counted.fetches(layer.toString())).isEqualTo(1);
        assertThat(counted.fetches(Digest.sha256Of(image.blobs().getFirst()).toString())).isEqualTo(1);
    }

    @Test
    void aCachedTagIsRefreshedOnDemandAndAfterTheInterval() throws Exception {
        start(Duration.ofHours(24));
        Image first = Images.push(up, "moving", "latest", "amd64", 10_000);
        assertPulls("up/moving", "latest", first);
        awaitStored("up/moving", first.digest());
        Image second = Images.push(up, "moving", "latest", "amd64", 20_000);
        assertThat(get("/v2/up/moving/manifests/latest").body()).as("within the interval: cached").isEqualTo(first.manifest());
        assertThat(get("/v2/up/moving/manifests/latest", "Cache-Control", "no-cache").body()).isEqualTo(second.manifest());
        awaitStored("up/moving", second.digest());
        for (int i = 0; i < 100 && !second.digest().equals(tagOf("up/moving", "latest")); i++) {
            Thread.sleep(50);
        }
        assertThat(tagOf("up/moving", "latest")).isEqualTo(second.digest());
        assertPulls("up/moving", "latest", second);
    }

    @Test
    void aTagDueForACheckFollowsTheUpstream() throws Exception {
        start(Duration.ZERO);
        Image first = Images.push(up, "moving", "latest", "amd64", 10_000);
        assertPulls("up/moving", "latest", first);
        awaitStored("up/moving", first.digest());
        int fetched = counted.fetches("latest");
        assertPulls("up/moving", "latest", first);
        assertThat(counted.fetches("latest")).as("unchanged: checked with a HEAD, not fetched").isEqualTo(fetched);
        Image second = Images.push(up, "moving", "latest", "amd64", 20_000);
        assertThat(get("/v2/up/moving/manifests/latest").body()).isEqualTo(second.manifest());
    }

    private Digest tagOf(String repo, String tag) {
        return meta().resolveTag(repository(repo).orElseThrow().id(), new Tag(tag)).orElse(null);
    }

    private static <T> List<T> concurrently(int n, Callable<T> task) throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(n)) {
            List<Future<T>> futures = new ArrayList<>();
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(() -> {
                    go.await();
                    return task.call();
                }));
            }
            go.countDown();
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) {
                out.add(f.get());
            }
            return out;
        }
    }
}
