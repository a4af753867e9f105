package io.wharf.server.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.core.event.RegistryEvent;
import io.wharf.core.event.StoredEvent;
import io.wharf.core.model.Digest;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.model.Tag;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** {@code ImageCached} as ECR's "ECR Pull Through Cache Action". */
class PullThroughEventShapeTest {
    private static final Digest DIGEST = Digest.sha256Of(new byte[] {2});
    private final EventBridgeShape shape = new EventBridgeShape("us-west-2");

    private JsonNode envelope(RegistryEvent event) {
        return shape.envelopes(new StoredEvent(3, Instant.parse("2024-01-02T03:04:05.678Z"), event)).getFirst();
    }

    @Test
    void aCachedImageIsASuccessfulSync() throws Exception {
        JsonNode e = envelope(new RegistryEvent.ImageCached("123456789012", RepositoryName.parse("hub/library/alpine"),
                DIGEST, new Tag("3.20"), "registry-1.docker.io", "library/alpine", "SUCCESS", null));
        JsonNode expected = new ObjectMapper().readTree("""
                {"version":"0","id":"%s","detail-type":"ECR Pull Through Cache Action","source":"aws.ecr",
                 "account":"123456789012","time":"2024-01-02T03:04:05Z","region":"us-west-2","resources":[],
                 "detail":{"repository-name":"hub/library/alpine","sync-status":"SUCCESS",
                           "upstream-registry-url":"registry-1.docker.io","upstream-repository-name":"library/alpine",
                           "image-digest":"%s","image-tag":"3.20"}}""".formatted(e.get("id").asText(), DIGEST));
        assertThat(e).isEqualTo(expected);
    }

    @Test
    void aFailedFetchSaysWhyAndHasNoDigest() {
        JsonNode d = envelope(new RegistryEvent.ImageCached("123456789012", RepositoryName.parse("hub/app"), null,
                new Tag("v1"), "quay.io", "app", "FAILED", "UNAVAILABLE: connection refused")).get("detail");
        assertThat(d.get("sync-status").asText()).isEqualTo("FAILED");
        assertThat(d.get("failure-reason").asText()).isEqualTo("UNAVAILABLE: connection refused");
        assertThat(d.has("image-digest")).isFalse();
        assertThat(d.get("image-tag").asText()).isEqualTo("v1");
    }
}
