package io.wharf.core.spi;

/**
 * The entry point of guarded writes. JDBC: one database transaction on one connection, committed when
 * {@code work} returns and rolled back when it throws. In memory: under the store's monitor; there
 * {@code work} must do its checks before its first write (the services do), as nothing is undone.
 */
public interface Transactions {

    @FunctionalInterface
    interface Work<T> {
        T run(UnitOfWork unit);
    }

    /**
     * Runs {@code work} in one transaction; nested calls on the same thread join the outer one. A database
     * store may run {@code work} again, whole, when the database aborted it for a conflict with a concurrent
     * transaction: {@code work} changes nothing outside the store before it returns.
     */
    <T> T inTransaction(String what, Work<T> work);
}
