package io.wharf.server.console;

import io.wharf.core.spi.ConsoleSessionIndex;
import io.wharf.core.spi.ConsoleSessionIndex.SignInFailures;
import io.wharf.server.config.WharfConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Slows, then refuses, repeated failed sign-ins (docs/console.md, "Sign-in throttle"). Failures are counted in the
 * database per access key id and per client address, so every node of a cluster and a restart see them. Each count
 * lives in a fixed window that begins with its first failure: once it reaches its limit, attempts are refused until
 * that window ends, and refused attempts are not counted — nobody can be locked out for longer than one window.
 */
final class SignInThrottle {
    /** Longer key ids are cut to this: the count is about guessing one id, not about storing what was typed. */
    private static final int MAX_SUBJECT_CHARS = 128;

    /** Waits a slowed attempt's delay; tests watch it instead of sleeping. */
    @FunctionalInterface
    interface Pause {
        void pause(Duration delay) throws InterruptedException;
    }

    private final ConsoleSessionIndex index;
    private final WharfConfig.SignInThrottle limits;
    private final Clock clock;
    private final Pause pause;

    SignInThrottle(ConsoleSessionIndex index, WharfConfig.SignInThrottle limits, Clock clock, Pause pause) {
        this.index = index;
        this.limits = limits;
        this.clock = clock;
        this.pause = pause;
    }

    /**
     * Empty when the attempt may go on (after the delay, when its key or address failed often); else how long until
     * the window that refuses it ends.
     *
     * @param keyId the access key id typed (null: a registry password, counted per address only)
     */
    Optional<Duration> admit(String keyId, String address) throws InterruptedException {
        Instant now = clock.instant();
        Duration refusedFor = Duration.ZERO;
        boolean slow = false;
        for (Subject s : subjects(keyId, address)) {
            Optional<SignInFailures> f = index.signInFailures(s.name()).filter(x -> windowEnd(x).isAfter(now));
            if (f.isPresent() && f.get().count() >= s.limit()) {
                Duration left = Duration.between(now, windowEnd(f.get()));
                refusedFor = left.compareTo(refusedFor) > 0 ? left : refusedFor;
            }
            slow |= f.isPresent() && f.get().count() >= limits.slowAfter();
        }
        if (!refusedFor.isZero()) {
            return Optional.of(refusedFor);
        }
        if (slow && !limits.delay().isZero()) {
            pause.pause(limits.delay());
        }
        return Optional.empty();
    }

    /** Counts a failed attempt against its key id (if any) and its address. */
    void failed(String keyId, String address) {
        Instant now = clock.instant();
        for (Subject s : subjects(keyId, address)) {
            index.recordSignInFailure(s.name(), now, now.minus(limits.window()));
        }
    }

    /** A success forgets the key's failures; the address's stay, so one good key does not reset a guesser's count. */
    void succeeded(String keyId) {
        if (keyId != null) {
            index.clearSignInFailures(keySubject(keyId));
        }
    }

    private Instant windowEnd(SignInFailures f) {
        return f.windowStart().plus(limits.window());
    }

    private record Subject(String name, int limit) {
    }

    private List<Subject> subjects(String keyId, String address) {
        List<Subject> out = new ArrayList<>(2);
        if (keyId != null) {
            out.add(new Subject(keySubject(keyId), limits.maxFailures()));
        }
        if (address != null) {
            out.add(new Subject("ip:" + address, limits.maxAddressFailures()));
        }
        return out;
    }

    private static String keySubject(String keyId) {
        return "key:" + (keyId.length() > MAX_SUBJECT_CHARS ? keyId.substring(0, MAX_SUBJECT_CHARS) : keyId);
    }
}
