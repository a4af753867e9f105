package io.wharf.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The canonical query's percent-decoding shares QueryString's two bugs, fixed with them. */
class SigV4CanonicalDecodeTest {
    @Test
    void keepsCharactersOutsideTheBmp() {
        assertThat(SigV4Canonical.decode("%20\uD83D\uDC33")).isEqualTo(" \uD83D\uDC33");
    }

    @Test
    void leavesEscapesOfNonAsciiDigitsAsSent() {
        assertThat(SigV4Canonical.decode("%\uFF13\uFF21")).isEqualTo("%\uFF13\uFF21");
        assertThat(SigV4Canonical.decode("%3a+")).isEqualTo(":+");
    }
}
