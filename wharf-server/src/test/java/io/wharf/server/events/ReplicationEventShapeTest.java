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
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code ImageReplicated} as ECR's "ECR Replication Action", with Wharf's destination and failure added. */
class ReplicationEventShapeTest {
    private static final Digest DIGEST = Digest.sha256Of(new byte[] {1});

    @Test
    void aReplicationIsAnEcrReplicationActionNamingTheDestinationRepository() throws Exception {
        EventBridgeShape shape = new EventBridgeShape("us-east-1");
        RegistryEvent done = new RegistryEvent.ImageReplicated("123456789012", RepositoryName.parse("team/app"), DIGEST,
                List.of(new Tag("v1")), "us-west-2", "210987654321", "SUCCESS", null);
        JsonNode e = shape.envelopes(new StoredEvent(5, Instant.parse("2026-12-03T10:00:00.5Z"), done)).getFirst();
        JsonNode expected = new ObjectMapper().readTree("""
                {"version":"0","id":"%s","detail-type":"ECR Replication Action","source":"aws.ecr","account":"123456789012",
                 "time":"2026-12-03T10:00:00Z","region":"us-east-1",
                 "resources":["arn:aws:ecr:us-west-2:210987654321:repository/team/app"],
                 "detail":{"result":"SUCCESS","repository-name":"team/app","image-digest":"%s","action-type":"REPLICATE",
                           "source-account":"123456789012","source-region":"us-east-1","destination-region":"us-west-2",
                           "destination-registry":"210987654321","image-tag":"v1"}}""".formatted(e.get("id").asText(), DIGEST));
        assertThat(e).isEqualTo(expected);
        RegistryEvent failed = new RegistryEvent.ImageReplicated("123456789012", RepositoryName.parse("team/app"), DIGEST,
                List.of(), "us-west-2", "210987654321", "FAILED", "ACCESS_DENIED: refused");
        JsonNode f = shape.envelopes(new StoredEvent(6, Instant.parse("2026-12-03T10:00:00Z"), failed)).getFirst().get("detail");
        assertThat(f.get("result").asText()).isEqualTo("FAILED");
        assertThat(f.get("failure-reason").asText()).isEqualTo("ACCESS_DENIED: refused");
        assertThat(f.has("image-tag")).isFalse();
    }
}
