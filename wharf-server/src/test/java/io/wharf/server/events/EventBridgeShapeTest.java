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

/** Events in the shape of Amazon EventBridge's ECR events (the ECR user guide's samples). */
class EventBridgeShapeTest {
    private static final String ACCOUNT = "123456789012";
    private static final RepositoryName REPO = RepositoryName.parse("team/app");
    private static final Digest DIGEST = Digest.sha256Of(new byte[] {1});
    private static final Instant AT = Instant.parse("2019-11-16T01:54:34.567Z");

    private final EventBridgeShape shape = new EventBridgeShape("us-west-2");

    private List<JsonNode> envelopes(long sequence, RegistryEvent event) {
        return shape.envelopes(new StoredEvent(sequence, AT, event)).stream().map(JsonNode.class::cast).toList();
    }

    @Test
    void aPushIsAnEcrImageActionWithTheEnvelopeEventBridgeGives() throws Exception {
        JsonNode e = envelopes(7, new RegistryEvent.ImagePushed(ACCOUNT, REPO, DIGEST, "m", new Tag("latest"))).getFirst();
        JsonNode expected = new ObjectMapper().readTree("""
                {"version":"0","id":"%s","detail-type":"ECR Image Action","source":"aws.ecr","account":"123456789012",
                 "time":"2019-11-16T01:54:34Z","region":"us-west-2","resources":[],
                 "detail":{"result":"SUCCESS","repository-name":"team/app","image-digest":"%s","action-type":"PUSH",
                           "image-tag":"latest"}}""".formatted(e.get("id").asText(), DIGEST));
        assertThat(e).isEqualTo(expected);
        assertThat(e.get("id").asText()).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    }

    @Test
    void aRedeliveredEventKeepsItsIdAndDistinctEventsDoNot() {
        RegistryEvent push = new RegistryEvent.ImagePushed(ACCOUNT, REPO, DIGEST, "m", null);
        assertThat(envelopes(7, push).getFirst().get("id")).isEqualTo(envelopes(7, push).getFirst().get("id"));
        assertThat(envelopes(7, push).getFirst().get("id")).isNotEqualTo(envelopes(8, push).getFirst().get("id"));
        assertThat(envelopes(7, push).getFirst().get("detail").has("image-tag")).as("a push by digest has no tag").isFalse();
    }

    @Test
    void aDeletedOrExpiredImageIsOneDeleteActionPerTag() {
        List<JsonNode> deleted = envelopes(1, new RegistryEvent.ImageDeleted(ACCOUNT, REPO, DIGEST,
                List.of(new Tag("a"), new Tag("b"))));
        assertThat(deleted).extracting(e -> e.get("detail").get("image-tag").asText()).containsExactly("a", "b");
        assertThat(deleted).allMatch(e -> e.get("detail").get("action-type").asText().equals("DELETE"));
        assertThat(deleted.get(0).get("id")).isNotEqualTo(deleted.get(1).get("id"));
        List<JsonNode> expired = envelopes(2, new RegistryEvent.ImageExpired(ACCOUNT, REPO, DIGEST, List.of(), 1));
        assertThat(expired).hasSize(1);
        assertThat(expired.getFirst().get("detail").has("image-tag")).isFalse();
        assertThat(envelopes(3, new RegistryEvent.TagDeleted(ACCOUNT, REPO, new Tag("x"), DIGEST)).getFirst()
                .get("detail").get("image-tag").asText()).isEqualTo("x");
    }

    @Test
    void factsEcrHasNoEventForKeepTheEnvelopeUnderWharfsOwnSource() {
        JsonNode created = envelopes(1, new RegistryEvent.RepositoryCreated(ACCOUNT, REPO)).getFirst();
        assertThat(created.get("source").asText()).isEqualTo("wharf.registry");
        assertThat(created.get("detail-type").asText()).isEqualTo("Wharf Repository Action");
        assertThat(created.get("detail").get("action-type").asText()).isEqualTo("CREATE");
        JsonNode pulled = envelopes(2, new RegistryEvent.ImagePulled(ACCOUNT, REPO, DIGEST)).getFirst();
        assertThat(pulled.get("detail").get("image-digest").asText()).isEqualTo(DIGEST.toString());
        assertThat(envelopes(3, new RegistryEvent.TagMoved(ACCOUNT, REPO, new Tag("t"), DIGEST, null)))
                .as("reported by its push").isEmpty();
    }
}
