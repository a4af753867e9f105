package io.wharf.bench;

import io.wharf.server.http.RateQuota;
import io.wharf.server.http.RequestRates;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The throttling check a manifest GET makes ({@code RequestRates.acquire(account, "ecr:BatchGetImage")}), with
 * throttling off and on (a rate no benchmark reaches, so every call takes a token). Two threads on one account's
 * bucket: the contended case of a busy account.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(2)
public class ThrottleBenchmark {
    @Param({"off", "on"})
    public String throttling;

    private RequestRates rates;

    @org.openjdk.jmh.annotations.Setup
    public void setUp() {
        rates = throttling.equals("on")
                ? new RequestRates(Map.of("BatchGetImage", new RateQuota(1e12, Integer.MAX_VALUE)), System::nanoTime)
                : new RequestRates(Map.of(), System::nanoTime);
    }

    @Benchmark
    public void manifestGetCheck() {
        rates.acquire(Fixtures.ACCOUNT, "ecr:BatchGetImage");
    }
}
