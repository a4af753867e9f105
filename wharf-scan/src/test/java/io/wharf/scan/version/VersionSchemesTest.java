package io.wharf.scan.version;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class VersionSchemesTest {

    /** The vectors of {@code version/<scheme>.txt}: {@code v1 op v2}, checked both ways round. */
    static Stream<Arguments> vectors() throws IOException {
        List<Arguments> out = new ArrayList<>();
        for (String scheme : List.of("deb", "apk", "rpm")) {
            try (InputStream in = VersionSchemesTest.class.getResourceAsStream("/version/" + scheme + ".txt")) {
                for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                    if (!line.isBlank() && !line.startsWith("#")) {
                        String[] p = line.split(" ");
                        out.add(Arguments.of(scheme, p[0], p[1], p[2]));
                    }
                }
            }
        }
        return out.stream();
    }

    private static VersionScheme scheme(String name) {
        return switch (name) {
            case "deb" -> VersionSchemes.dpkg();
            case "apk" -> VersionSchemes.apk();
            case "rpm" -> VersionSchemes.rpm();
            case "pep440" -> VersionSchemes.pep440();
            case "semver" -> VersionSchemes.semver();
            case "maven" -> VersionSchemes.maven();
            case "gem" -> VersionSchemes.gem();
            default -> VersionSchemes.generic();
        };
    }

    private static void check(String scheme, String a, String op, String b) {
        int expected = switch (op) {
            case "<" -> -1;
            case ">" -> 1;
            default -> 0;
        };
        VersionScheme s = scheme(scheme);
        assertThat(Integer.signum(s.compare(a, b))).as("%s: %s %s %s", scheme, a, op, b).isEqualTo(expected);
        assertThat(Integer.signum(s.compare(b, a))).as("%s reversed: %s %s %s", scheme, a, op, b).isEqualTo(-expected);
    }

    @ParameterizedTest(name = "{0}: {1} {2} {3}")
    @MethodSource("vectors")
    void portedVectors(String scheme, String a, String op, String b) {
        check(scheme, a, op, b);
    }

    @ParameterizedTest(name = "{0}: {1} {2} {3}")
    @CsvSource(delimiter = ' ', value = {
            // dpkg (deb-version(7), Debian security versions)
            "deb 1:1.0 > 2.0", "deb 3.0.11-1~deb12u2 < 3.0.11-1", "deb 3.0.11-1~deb12u2 > 3.0.11-1~deb12u1",
            "deb 2.36.1-8+deb11u1 > 2.36.1-8", "deb 1.0 = 1.00", "deb 1.0-1 < 1.0-1+b1", "deb 0:1.2 = 1.2",
            // apk
            "apk 3.1.4-r0 < 3.1.4-r1", "apk 3.1.4_rc1-r0 < 3.1.4-r0", "apk 3.1.4_p1-r0 > 3.1.4-r5", "apk 1.2a < 1.2b",
            "apk 1.2.3_alpha < 1.2.3_beta", "apk 1.2.3_beta2 < 1.2.3_pre1", "apk 1.2.3_pre1 < 1.2.3_rc1",
            // rpm
            "rpm 1.0~rc1 < 1.0", "rpm 1.0^git1 > 1.0", "rpm 1.0^git1 < 1.0.1", "rpm 1:1.0-1 > 2.0-1",
            "rpm 2:1.0-1.el9 = 2:1.0-1.el9", "rpm 0:1.0-1 = 1.0-1", "rpm 1.0-2.el9_1 > 1.0-2.el9",
            // PEP 440 (the spec's ordering example and normalizations)
            "pep440 1.0.dev456 < 1.0a1", "pep440 1.0a1 < 1.0a2.dev456", "pep440 1.0a2.dev456 < 1.0a12.dev456",
            "pep440 1.0a12.dev456 < 1.0a12", "pep440 1.0a12 < 1.0b1.dev456", "pep440 1.0b1.dev456 < 1.0b2",
            "pep440 1.0b2 < 1.0b2.post345.dev456", "pep440 1.0b2.post345.dev456 < 1.0b2.post345",
            "pep440 1.0b2.post345 < 1.0rc1.dev456", "pep440 1.0rc1.dev456 < 1.0rc1", "pep440 1.0rc1 < 1.0",
            "pep440 1.0 < 1.0+abc.5", "pep440 1.0+abc.5 < 1.0+abc.7", "pep440 1.0+abc.7 < 1.0+5",
            "pep440 1.0+5 < 1.0.post456.dev34", "pep440 1.0.post456.dev34 < 1.0.post456", "pep440 1.0.post456 < 1.1.dev1",
            "pep440 1!0.1 > 2.0", "pep440 1.0 = 1.0.0", "pep440 1.0-1 = 1.0.post1", "pep440 1.0alpha1 = 1.0a1",
            "pep440 1.0c1 = 1.0rc1", "pep440 1.0.RC1 = 1.0rc1", "pep440 v1.0 = 1.0", "pep440 1.0-dev = 1.0.dev0",
            // SemVer 2.0 (the spec's precedence example; build metadata ignored; Go's v)
            "semver 1.0.0-alpha < 1.0.0-alpha.1", "semver 1.0.0-alpha.1 < 1.0.0-alpha.beta",
            "semver 1.0.0-alpha.beta < 1.0.0-beta", "semver 1.0.0-beta < 1.0.0-beta.2", "semver 1.0.0-beta.2 < 1.0.0-beta.11",
            "semver 1.0.0-beta.11 < 1.0.0-rc.1", "semver 1.0.0-rc.1 < 1.0.0", "semver 1.0.0+build.5 = 1.0.0",
            "semver v1.2.3 = 1.2.3", "semver 1.10.0 > 1.9.9", "semver 0.0.0-20230101-abcdef < 0.1.0",
            // Maven (ComparableVersion)
            "maven 1.0-alpha-1 < 1.0", "maven 1.0-SNAPSHOT < 1.0", "maven 1.0 = 1.0.0", "maven 1.0-rc1 < 1.0",
            "maven 2.17.1 > 2.15.0", "maven 1.0.Final = 1.0", "maven 1.0-sp1 > 1.0",
            // RubyGems
            "gem 1.0.0.pre < 1.0.0", "gem 1.0.0.rc1 < 1.0.0", "gem 1.0 = 1.0.0", "gem 1.0.0.a < 1.0.0.b",
            "gem 6.1.7.3 > 6.1.7", "gem 1.0.0-beta < 1.0.0",
            // generic
            "generic 1.2 < 1.10", "generic 1.0rc1 < 1.0.1", "generic 1.0 = 1.0.0"})
    void knownOrders(String scheme, String a, String op, String b) {
        check(scheme, a, op, b);
    }

    @Test
    void validity() {
        assertThat(VersionSchemes.dpkg().valid("1:2.3-4")).isTrue();
        assertThat(VersionSchemes.dpkg().valid("A:1.2.3")).isFalse();
        assertThat(VersionSchemes.dpkg().valid("2:A7.4.052-1ubuntu3.1")).isFalse();
        assertThat(VersionSchemes.apk().valid("1.2.3_alpha1")).isTrue();
        assertThat(VersionSchemes.apk().valid("1.0bc")).isFalse();
        assertThat(VersionSchemes.apk().valid("1.0!")).isFalse();
        assertThat(VersionSchemes.pep440().valid("1.0.post1.dev2+local.7")).isTrue();
        assertThat(VersionSchemes.pep440().valid("french toast")).isFalse();
        assertThat(VersionSchemes.semver().valid("1.2.3-rc.1+b")).isTrue();
        assertThat(VersionSchemes.semver().valid("1.2")).isFalse();
    }

    @Test
    void ecosystemsChooseTheirScheme() {
        assertThat(VersionSchemes.forEcosystem("Debian:12").name()).isEqualTo("dpkg");
        assertThat(VersionSchemes.forEcosystem("Ubuntu:22.04:LTS").name()).isEqualTo("dpkg");
        assertThat(VersionSchemes.forEcosystem("Alpine:v3.19").name()).isEqualTo("apk");
        assertThat(VersionSchemes.forEcosystem("Rocky Linux:9").name()).isEqualTo("rpm");
        assertThat(VersionSchemes.forEcosystem("PyPI").name()).isEqualTo("pep440");
        assertThat(VersionSchemes.forEcosystem("Go").name()).isEqualTo("semver");
        assertThat(VersionSchemes.forEcosystem("Maven").name()).isEqualTo("maven");
        assertThat(VersionSchemes.forEcosystem("RubyGems").name()).isEqualTo("gem");
        assertThat(VersionSchemes.forEcosystem("Packagist").name()).isEqualTo("generic");
    }

    @Test
    void garbageNeverThrows() {
        for (String s : List.of("dpkg", "apk", "rpm", "pep440", "semver", "maven", "gem", "generic")) {
            VersionScheme v = scheme(s.equals("dpkg") ? "deb" : s);
            for (String x : List.of("", ":", "-", "~", "^", "1:", ":-", "..", "99999999999999999999999", "é1ü", "+", "v")) {
                v.compare(x, "1.0");
                v.compare("1.0", x);
                v.valid(x);
            }
        }
    }
}
