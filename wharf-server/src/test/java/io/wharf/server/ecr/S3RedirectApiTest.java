package io.wharf.server.ecr;

import static io.wharf.server.oci.Fixtures.digest;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.server.oci.Fixtures;
import io.wharf.server.oci.TestRegistry;
import io.wharf.storage.s3.S3ProxyServer;
import io.wharf.storage.s3.S3Settings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecr.EcrClient;

/**
 * Blobs in an S3 bucket (S3Proxy) over real HTTP: with {@code storage.s3.redirect} a blob GET is answered 307 to a
 * presigned URL from which a client following it gets the blob's bytes, and ECR's GetDownloadUrlForLayer returns such
 * a URL; HEAD and range requests are answered by the registry; without redirects the blob is streamed.
 */
class S3RedirectApiTest {
    private final HttpClient following = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();

    @Test
    void blobGetsRedirectToAPresignedUrlThatServesTheBytes() throws Exception {
        S3ProxyServer proxy = S3ProxyServer.get();
        try (TestRegistry r = new TestRegistry(redirecting(proxy.settings()))) {
            byte[] content = Fixtures.randomBytes(100_000);
            Fixtures.pushBlob(r, "s3/app", content);
            String path = "/v2/s3/app/blobs/" + digest(content);

            HttpResponse<byte[]> redirect = r.get(path);
            assertThat(redirect.statusCode()).isEqualTo(307);
            String location = redirect.headers().firstValue("Location").orElseThrow();
            assertThat(location).startsWith(proxy.endpoint().toString()).contains("X-Amz-Signature=");
            assertThat(redirect.headers().firstValue("Docker-Content-Digest")).hasValue(digest(content));
            assertThat(redirect.headers().firstValue("Cache-Control")).isEmpty();

            HttpResponse<byte[]> followed = following.send(HttpRequest.newBuilder(r.uri(path)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(followed.statusCode()).isEqualTo(200);
            assertThat(followed.body()).isEqualTo(content);

            HttpResponse<byte[]> head = r.head(path);
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.headers().firstValue("Content-Length")).hasValue("100000");
            HttpResponse<byte[]> range = r.get(path, "Range", "bytes=10-19");
            assertThat(range.statusCode()).isEqualTo(206);
            assertThat(range.body()).isEqualTo(Arrays.copyOfRange(content, 10, 20));
            // authorization and existence come first: an unknown blob is not redirected
            assertThat(r.get("/v2/s3/app/blobs/" + digest("nowhere".getBytes())).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void getDownloadUrlForLayerReturnsThePresignedUrl() throws Exception {
        try (TestRegistry r = new TestRegistry(redirecting(S3ProxyServer.get().settings()));
             EcrClient ecr = EcrTest.client(r)) {
            byte[] manifest = Fixtures.pushImage(r, "s3/ecr", "v1");
            String layer = new ObjectMapper().readTree(manifest).get("layers").get(0).get("digest").asText();
            String url = ecr.getDownloadUrlForLayer(b -> b.repositoryName("s3/ecr").layerDigest(layer)).downloadUrl();
            assertThat(url).startsWith(S3ProxyServer.get().endpoint().toString()).contains("X-Amz-Signature=");
            HttpResponse<byte[]> fetched = following.send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(fetched.statusCode()).isEqualTo(200);
            assertThat(digest(fetched.body())).isEqualTo(layer);
        }
    }

    @Test
    void withoutRedirectsBlobsAreStreamedFromTheBucket() throws Exception {
        try (TestRegistry r = new TestRegistry(S3ProxyServer.get().settings());
             EcrClient ecr = EcrTest.client(r)) {
            byte[] content = Fixtures.randomBytes(70_000);
            Fixtures.pushBlob(r, "s3/plain", content);
            HttpResponse<byte[]> get = r.get("/v2/s3/plain/blobs/" + digest(content));
            assertThat(get.statusCode()).isEqualTo(200);
            assertThat(get.body()).isEqualTo(content);
            byte[] manifest = Fixtures.pushImage(r, "s3/plain", "v1");
            String layer = new ObjectMapper().readTree(manifest).get("layers").get(0).get("digest").asText();
            assertThat(ecr.getDownloadUrlForLayer(b -> b.repositoryName("s3/plain").layerDigest(layer)).downloadUrl())
                    .isEqualTo("http://127.0.0.1:" + r.port + "/v2/s3/plain/blobs/" + layer);
        }
    }

    private static S3Settings redirecting(S3Settings s) {
        return new S3Settings(s.bucket(), s.prefix(), s.region(), s.endpoint(), s.pathStyle(), s.accessKeyId(),
                s.secretAccessKey(), s.sse(), s.kmsKeyId(), s.partSize(), true, Duration.ofMinutes(5));
    }
}
