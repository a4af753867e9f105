package io.wharf.core.spi;

import io.wharf.core.model.RepositoryName;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * How much the registry stores, per repository, per account and in total, and how much is pulled. Database stores
 * keep counters in the transaction of every write that changes them (triggers), so an answer reads counter rows
 * and never aggregates the tables; {@link #recountUsage} checks them against the tables.
 */
public interface UsageIndex {

    /** The repository's usage; empty when it does not exist. */
    Optional<RepositoryUsage> repositoryUsage(long repositoryId);

    /** The usage of the account's repositories in name order, strictly after {@code after} (null: from the start). */
    List<RepositoryUsage> repositoryUsages(String account, RepositoryName after, int limit);

    /** The whole store: every account's repositories, every recorded blob (linked or not), every manifest. */
    RegistryUsage registryUsage();

    /** The account's repositories summed. */
    AccountUsage accountUsage(String account);

    /** Up to {@code limit} repositories of every account, the largest (manifest and blob bytes) first. */
    List<AccountRepositoryUsage> largestRepositories(int limit);

    /** Adds the tallies to the per-day pull counters, in one transaction; tallies of unknown repositories are dropped. */
    void addPulls(Collection<PullTally> tallies);

    /** The repository's pulls per day from {@code from} on (days without pulls left out), oldest first. */
    List<DailyPulls> pulls(long repositoryId, LocalDate from);

    /** The account's pulls per day from {@code from} on, summed over its repositories, oldest first. */
    List<DailyPulls> accountPulls(String account, LocalDate from);

    /**
     * Records whether the repository is over the quota: true when that changed it (a warning is due when it became
     * over); false when it was already so, or the repository is gone.
     */
    boolean markQuota(long repositoryId, QuotaKind kind, boolean over);

    /**
     * Compares every counter with a recount of the tables (a full scan: for {@code wharf usage --recount}) and
     * returns the differences; with {@code repair}, also sets the counters to the recount, in one transaction.
     */
    List<UsageDrift> recountUsage(boolean repair);
}
