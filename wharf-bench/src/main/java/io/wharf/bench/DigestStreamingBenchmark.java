package io.wharf.bench;

import io.wharf.core.memory.InMemoryBlobStore;
import io.wharf.core.memory.InMemoryMetadataStore;
import io.wharf.core.model.Digest;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.service.BodySource;
import io.wharf.core.service.Registry;
import io.wharf.core.service.RegistryLimits;
import io.wharf.core.service.RepoKey;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Digest computation while streaming a blob: every byte of a push goes through SHA-256 once.
 * One operation is one MiB, so the score (ops/s) reads as MiB/s.
 *
 * <ul>
 *   <li>{@code sha256} — the JDK's SHA-256 over the same buffers: the ceiling (uses SHA-NI when the CPU has it).</li>
 *   <li>{@code putMonolithic} — Wharf's upload path ({@code UploadService.putMonolithic}: hash, write, verify,
 *       publish) into an upload store that discards the bytes, so only Wharf's own work on the stream shows.</li>
 * </ul>
 * The body arrives as {@code chunkKiB} buffers, as Jetty hands them over (direct or heap).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DigestStreamingBenchmark {
    private static final int BODY_MIB = 16;
    private static final int MIB = 1 << 20;

    @Param({"64"})
    public int chunkKiB;

    @Param({"direct", "heap"})
    public String buffer;

    private ByteBuffer[] chunks;
    private Digest digest;
    private Registry registry;
    private RepoKey repo;

    @Setup
    public void setUp() throws Exception {
        int chunk = chunkKiB * 1024;
        int n = BODY_MIB * MIB / chunk;
        chunks = new ByteBuffer[n];
        SplittableRandom random = new SplittableRandom(42);
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] bytes = new byte[chunk];
        for (int i = 0; i < n; i++) {
            random.nextBytes(bytes);
            ByteBuffer b = buffer.equals("direct") ? ByteBuffer.allocateDirect(chunk) : ByteBuffer.allocate(chunk);
            b.put(bytes).flip();
            chunks[i] = b;
            md.update(bytes);
        }
        digest = Digest.of(Digest.Algorithm.SHA256, md.digest());
        InMemoryBlobStore blobs = new InMemoryBlobStore();
        registry = new Registry(new InMemoryMetadataStore(), blobs, new DiscardingUploadStore(),
                RegistryLimits.defaults(), Clock.systemUTC());
        repo = new RepoKey("000000000000", RepositoryName.parse("bench/digest"));
    }

    @Benchmark
    @OperationsPerInvocation(BODY_MIB)
    public byte[] sha256() throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        for (ByteBuffer c : chunks) {
            md.update(c.duplicate());
        }
        return md.digest();
    }

    @Benchmark
    @OperationsPerInvocation(BODY_MIB)
    public Digest putMonolithic() {
        return registry.uploads().putMonolithic(repo, "bench", digest, (long) BODY_MIB * MIB, body());
    }

    private BodySource body() {
        return new BodySource() {
            private int next;

            @Override
            public ByteBuffer next() {
                return next < chunks.length ? chunks[next++].duplicate() : null;
            }
        };
    }
}
