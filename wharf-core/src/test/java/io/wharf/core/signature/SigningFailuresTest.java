package io.wharf.core.signature;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.error.ImageTagImmutableException;
import io.wharf.core.memory.InMemoryMetadataStore;
import io.wharf.core.model.Digest;
import io.wharf.core.model.RepositoryName;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class SigningFailuresTest {
    private static final List<String> PROFILES = List.of("arn:aws:signer:us-east-1:000000000000:/signing-profiles/p");

    private final InMemoryMetadataStore store = new InMemoryMetadataStore();
    private final long repo = store.createRepository("000000000000", RepositoryName.parse("team/app"),
            Instant.EPOCH).id();

    @Test
    void aFailureIsKeptWithTheDomainsCodeAndClearedOnce() {
        SigningFailures failures = new SigningFailures(store, Clock.systemUTC());
        Digest image = digest(1);
        failures.record(repo, image, SigningFailures.of(PROFILES,
                new ImageTagImmutableException("tag sha256-x.sig is immutable", "sha256-x.sig")));
        assertThat(failures.find(repo, image)).hasValueSatisfying(f -> {
            assertThat(f.code()).isEqualTo("ImageTagImmutable");
            assertThat(f.reason()).isEqualTo("tag sha256-x.sig is immutable");
            assertThat(f.profiles()).isEqualTo(PROFILES);
        });
        assertThat(SigningFailures.of(PROFILES, new IllegalStateException("x".repeat(900))))
                .satisfies(f -> assertThat(f.code()).isEqualTo("SigningFailed"))
                .satisfies(f -> assertThat(f.reason()).hasSize(500));

        failures.clear(repo, image);
        assertThat(failures.find(repo, image)).isEmpty();
    }

    @Test
    void aRepositoryKeepsTheNewestFailuresOnly() {
        Instant[] now = {Instant.parse("2026-12-04T00:00:00Z")};
        Clock ticking = new Clock() {
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            public Instant instant() {
                return now[0];
            }
        };
        SigningFailures failures = new SigningFailures(store, ticking);
        for (int i = 0; i <= SigningFailures.MAX_IMAGES; i++) {
            now[0] = now[0].plusMillis(1);
            failures.record(repo, digest(i), SigningFailures.of(PROFILES, new IllegalStateException("failed " + i)));
        }
        assertThat(failures.find(repo, digest(0))).as("the oldest is dropped").isEmpty();
        assertThat(failures.find(repo, digest(1))).isPresent();
        assertThat(failures.find(repo, digest(SigningFailures.MAX_IMAGES))).isPresent();
    }

    private static Digest digest(int i) {
        return Digest.sha256Of(("image " + i).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
