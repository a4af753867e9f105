package io.wharf.core.signature;

import java.util.List;

/** Why a pull is refused, from what was found and each verifiable signature's refusal. */
final class Verdicts {
    private Verdicts() {
    }

    static Verdict refused(List<ImageSignature> found, List<Verdict> refusals) {
        if (found.isEmpty()) {
            return Verdict.refused("the image has no signature");
        }
        if (refusals.isEmpty()) {
            return Verdict.refused("the image has no signature Wharf verifies (Wharf verifies cosign's simple-signing"
                    + " signatures and Notation JWS signatures)");
        }
        List<String> reasons = refusals.stream().map(Verdict::reason).distinct().toList();
        return Verdict.refused(reasons.size() == 1 ? reasons.getFirst() : NotationCheck.UNTRUSTED + " ("
                + refusals.size() + " signatures: " + String.join("; ", reasons) + ")");
    }
}
