package io.wharf.core.signature;

import java.time.Instant;

/**
 * One signature's verdict, and until when it holds: its inputs are content-addressed, so only time (an expiry, a
 * certificate's validity) can change it. {@link Instant#MAX} when nothing can.
 */
record Checked(Verdict verdict, Instant changesAt) {
    static Checked lasting(Verdict verdict) {
        return new Checked(verdict, Instant.MAX);
    }

    static Checked refused(String reason) {
        return lasting(Verdict.refused(reason));
    }
}
