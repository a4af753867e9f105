package io.wharf.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Strict decoding of query strings and form bodies (QueryStringFuzzTest found both). */
class QueryStringTest {
    /** A character outside the BMP (two chars) was encoded one char at a time: "??". */
    @Test
    void keepsCharactersOutsideTheBmp() {
        assertThat(new QueryString("q=caf\u00e9+\uD83D\uDC33").get("q")).isEqualTo("caf\u00e9 \uD83D\uDC33");
        assertThat(new QueryString("q=%41\uD83D\uDC33").get("q")).isEqualTo("A\uD83D\uDC33");
    }

    /** Character.digit read fullwidth and Arabic-Indic digits as hex: "%\uFF13\uFF21" decoded to ":". */
    @Test
    void escapesAreAsciiHexOnly() {
        assertThatThrownBy(() -> new QueryString("q=%\uFF13\uFF21").get("q")).isInstanceOf(MalformedQueryException.class);
        assertThatThrownBy(() -> new QueryString("q=%\u0663\u0663").get("q")).isInstanceOf(MalformedQueryException.class);
        assertThat(new QueryString("q=%3a%3A").get("q")).isEqualTo("::");
    }
}
