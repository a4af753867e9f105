package io.wharf.core.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.event.EventCodec;
import io.wharf.core.event.RegistryEvent;
import io.wharf.core.event.RegistryEvent.ImagePushed;
import io.wharf.core.model.Digest;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.model.Tag;
import org.junit.jupiter.api.Test;

/** The replication mark survives the outbox: a replicated push is recognised when the subscriber reads it back. */
class ReplicatedFromCodecTest {
    private static final Digest D = Digest.sha256Of(new byte[] {1});

    @Test
    void theMarkRoundTripsAndAnOldEventReadsAsUnmarked() {
        ImagePushed marked = new ImagePushed("000000000000", new RepositoryName("app"), D, "m", new Tag("v1"), "us-west-2/111111111111");
        RegistryEvent back = EventCodec.fromJson(EventCodec.toJson(marked));
        assertThat(back).isEqualTo(marked);
        ImagePushed plain = new ImagePushed("000000000000", new RepositoryName("app"), D, "m", new Tag("v1"));
        String json = EventCodec.toJson(plain);
        assertThat(json).doesNotContain("replicatedFrom");
        assertThat(((ImagePushed) EventCodec.fromJson(json)).replicatedFrom()).isNull();
    }
}
