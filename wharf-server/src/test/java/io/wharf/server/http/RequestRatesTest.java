package io.wharf.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.server.config.WharfConfig;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The token buckets with a hand-moved clock: exact counts, exact waits, exact refills. */
class RequestRatesTest {
    private static final long SECOND = 1_000_000_000L;
    private static final String A = "111111111111";
    private static final String B = "222222222222";

    private final AtomicLong now = new AtomicLong(42 * SECOND);
    /** 10 per second, 5 at once: a token every 100 ms. */
    private final RequestRates rates = new RequestRates(Map.of("PutImage", new RateQuota(10, 5),
            "BatchGetImage", new RateQuota(2000, 2000)), now::get);

    @Test
    void aBurstPassesThenTheNextIsRefusedWithTheWaitForOneToken() {
        for (int i = 0; i < 5; i++) {
            rates.acquire(A, "PutImage");
        }
        assertThatThrownBy(() -> rates.acquire(A, "PutImage")).isInstanceOfSatisfying(ThrottledException.class,
                e -> assertThat(e.retryAfterSeconds()).isEqualTo(1)); // 100 ms, in whole seconds
        now.addAndGet(SECOND / 10 - 1);
        assertThatThrownBy(() -> rates.acquire(A, "PutImage")).isInstanceOf(ThrottledException.class);
        now.addAndGet(1);
        rates.acquire(A, "PutImage"); // exactly one token came back
        assertThatThrownBy(() -> rates.acquire(A, "PutImage")).isInstanceOf(ThrottledException.class);
    }

    @Test
    void aRefusedRequestTakesNothingAndAQuietSpellRefillsOnlyUpToTheBurst() {
        for (int i = 0; i < 5; i++) {
            rates.acquire(A, "PutImage");
        }
        for (int i = 0; i < 100; i++) { // hammering while empty does not push the refill further away
            assertThatThrownBy(() -> rates.acquire(A, "PutImage")).isInstanceOf(ThrottledException.class);
        }
        now.addAndGet(60 * SECOND);
        for (int i = 0; i < 5; i++) {
            rates.acquire(A, "PutImage");
        }
        assertThatThrownBy(() -> rates.acquire(A, "PutImage")).isInstanceOf(ThrottledException.class);
    }

    @Test
    void theRetryAfterCountsTheWholeWaitRoundedUp() {
        RequestRates slow = new RequestRates(Map.of("PutImage", new RateQuota(0.25, 1)), now::get);
        slow.acquire(A, "PutImage");
        assertThatThrownBy(() -> slow.acquire(A, "PutImage")).isInstanceOfSatisfying(ThrottledException.class,
                e -> assertThat(e.retryAfterSeconds()).isEqualTo(4));
        now.addAndGet(SECOND + 1);
        assertThatThrownBy(() -> slow.acquire(A, "PutImage")).isInstanceOfSatisfying(ThrottledException.class,
                e -> assertThat(e.retryAfterSeconds()).isEqualTo(3));
    }

    @Test
    void accountsAndOperationsHaveTheirOwnBuckets() {
        for (int i = 0; i < 5; i++) {
            rates.acquire(A, "PutImage");
        }
        assertThatThrownBy(() -> rates.acquire(A, "PutImage")).isInstanceOf(ThrottledException.class);
        rates.acquire(B, "PutImage");
        rates.acquire(A, "BatchGetImage");
    }

    @Test
    void routeActionsNameTheSameBucketAndUnlistedOperationsAreFree() {
        for (int i = 0; i < 5; i++) {
            rates.acquire(A, i % 2 == 0 ? "ecr:PutImage" : "PutImage");
        }
        assertThatThrownBy(() -> rates.acquire(A, "ecr:PutImage")).isInstanceOf(ThrottledException.class);
        for (int i = 0; i < 10_000; i++) {
            rates.acquire(A, "DescribeRepositories");
            rates.acquire(A, null); // GET /v2/ has no action
        }
        assertThat(RequestRates.UNLIMITED.enabled()).isFalse();
        assertThat(rates.enabled()).isTrue();
    }

    /** With the clock standing still, exactly the burst passes however many threads race for it. */
    @Test
    void concurrentCallersTakeExactlyTheBurst() throws Exception {
        RequestRates race = new RequestRates(Map.of("BatchGetImage", new RateQuota(1, 1000)), now::get);
        AtomicInteger passed = new AtomicInteger();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (int t = 0; t < 8; t++) {
                pool.submit(() -> {
                    for (int i = 0; i < 500; i++) {
                        try {
                            race.acquire(A, "BatchGetImage");
                            passed.incrementAndGet();
                        } catch (ThrottledException e) {
                            // counted by what passed
                        }
                    }
                });
            }
        }
        assertThat(passed).hasValue(1000);
    }

    @Test
    void quotaListsParseAndBadEntriesAreNamed() {
        assertThat(RateQuota.parseList("PutImage=20, BatchGetImage=500/1000,GetAuthorizationToken=0.5"))
                .containsExactly(Map.entry("PutImage", new RateQuota(20, 20)),
                        Map.entry("BatchGetImage", new RateQuota(500, 1000)),
                        Map.entry("GetAuthorizationToken", new RateQuota(0.5, 1)));
        assertThat(RateQuota.parseList(" ")).isEmpty();
        for (String bad : new String[] {"PutImage", "PutImage=", "PutImage=0", "putImage=3", "PutImage=1/x",
                "PutImage=-1", "PutImage=1,PutImage=2", "PutImage=1;BatchGetImage=2"}) {
            assertThatThrownBy(() -> RateQuota.parseList(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void theMultiplierScalesEcrsDefaultsAndExplicitRatesAreTakenAsWritten() {
        WharfConfig.Throttling t = new WharfConfig.Throttling(true, 0.5,
                Map.of("PutImage", new RateQuota(100, 7), "DescribeImages", new RateQuota(50, 50)));
        Map<String, RateQuota> effective = t.effective();
        assertThat(effective.get("BatchGetImage")).isEqualTo(new RateQuota(1000, 1000));
        assertThat(effective.get("GetDownloadUrlForLayer")).isEqualTo(new RateQuota(1500, 1500));
        assertThat(effective.get("PutImage")).isEqualTo(new RateQuota(100, 7));
        assertThat(effective.get("DescribeImages")).isEqualTo(new RateQuota(50, 50));
        assertThat(effective).hasSize(RateQuota.ECR_DEFAULTS.size() + 1);
        assertThat(new WharfConfig.Throttling(false, 1, Map.of("PutImage", new RateQuota(1, 1))).effective()).isEmpty();
        assertThat(WharfConfig.defaults().limits().throttling().enabled()).isFalse();
    }
}
