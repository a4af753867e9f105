package io.wharf.scan.version;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzz target of the version orders (docs/security.md#fuzzing): installed versions come from package databases in
 * pushed layers, range bounds from advisories. The first byte selects the scheme, the rest holds up to three
 * versions separated by NUL. {@link VersionScheme#compare} must never throw and must be an order: reflexive,
 * antisymmetric and transitive over the three. Maven's order is maven-artifact's {@code ComparableVersion}, which is
 * known not to be transitive on some strings (MNG-5568, MNG-6568; seed {@code maven-intransitive}): for it only the
 * first two are checked. rpm's order lets a version without a release equal any release of it (seed
 * {@code rpm-release-wildcard}): for it only chains of strict order are checked. Seeds: {@code VersionFuzzTestInputs/versions/}.
 */
class VersionFuzzTest {
    private static final List<VersionScheme> SCHEMES = List.of(VersionSchemes.dpkg(), VersionSchemes.apk(),
            VersionSchemes.rpm(), VersionSchemes.pep440(), VersionSchemes.semver(), VersionSchemes.maven(),
            VersionSchemes.gem(), VersionSchemes.generic());

    @FuzzTest
    void versions(byte[] input) {
        if (input.length == 0) {
            return;
        }
        VersionScheme scheme = SCHEMES.get((input[0] & 0xff) % SCHEMES.size());
        String[] v = Arrays.copyOf(new String(input, 1, input.length - 1, StandardCharsets.UTF_8).split("\0", 3), 3);
        for (int i = 0; i < 3; i++) {
            v[i] = v[i] == null ? "" : v[i];
            scheme.valid(v[i]);
            assertThat(scheme.compare(v[i], v[i])).isZero();
        }
        int ab = Integer.signum(scheme.compare(v[0], v[1]));
        int bc = Integer.signum(scheme.compare(v[1], v[2]));
        int ac = Integer.signum(scheme.compare(v[0], v[2]));
        assertThat(Integer.signum(scheme.compare(v[1], v[0]))).isEqualTo(-ab);
        // rpm: a missing release equals any release (rpm's rule), so equality does not chain; strict order must
        boolean chained = ab == bc && ab != 0 || scheme != VersionSchemes.rpm() && (ab == 0 || bc == 0);
        if (chained && scheme != VersionSchemes.maven()) { // a <= b <= c or a >= b >= c: a to c the same way
            assertThat(ac).isEqualTo(ab != 0 ? ab : bc);
        }
    }
}
