package io.wharf.core.usage;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.event.EventCodec;
import io.wharf.core.event.RegistryEvent;
import io.wharf.core.model.Digest;
import io.wharf.core.model.RepositoryName;
import org.junit.jupiter.api.Test;

/** The usage events as the outbox stores them, and a pull event stored before {@code count} existed. */
class UsageEventCodecTest {
    private static final RepositoryName APP = new RepositoryName("team/app");
    private static final Digest D = Digest.sha256Of(new byte[] {7});

    @Test
    void pullCountsAndQuotaWarningsRoundTrip() {
        RegistryEvent pulled = new RegistryEvent.ImagePulled("123456789012", APP, D, 42);
        RegistryEvent warning = new RegistryEvent.QuotaWarning("123456789012", APP, "IMAGES", 80, 100);
        assertThat(EventCodec.fromJson(EventCodec.toJson(pulled))).isEqualTo(pulled);
        assertThat(EventCodec.fromJson(EventCodec.toJson(warning))).isEqualTo(warning);
    }

    @Test
    void aPullEventWithoutCountReadsAsOnePull() {
        String old = "{\"type\":\"ImagePulled\",\"account\":\"123456789012\",\"repository\":\"team/app\",\"digest\":\""
                + D + "\"}";
        assertThat(EventCodec.fromJson(old)).isEqualTo(new RegistryEvent.ImagePulled("123456789012", APP, D, 1));
    }
}
