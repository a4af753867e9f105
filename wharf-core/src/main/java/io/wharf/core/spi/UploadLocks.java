package io.wharf.core.spi;

import java.util.function.Supplier;

/**
 * Mutual exclusion per upload, so that the steps of one upload (a chunk, its completion, a cancel, ECR's part
 * bookkeeping) never interleave. Need not be reentrant: the upload service takes an upload's lock once per thread,
 * however its steps nest (an implementation over database connections would otherwise wait on itself). One process:
 * {@code LocalUploadLocks}; nodes sharing a database use its locks (PostgreSQL advisory locks). Correctness of
 * the acknowledged offset does not rest on it alone: {@link UploadIndex#updateUpload} is a compare-and-set.
 */
public interface UploadLocks {

    /** Runs {@code work} while no other holder of {@code uploadId}'s lock runs, and returns its result. */
    <T> T run(String uploadId, Supplier<T> work);
}
