package io.wharf.scan.catalog.lang;

import static io.wharf.scan.catalog.lang.Catalog.file;
import static io.wharf.scan.catalog.lang.Catalog.ids;
import static io.wharf.scan.catalog.lang.Catalog.read;
import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.scan.model.PackageManager;
import io.wharf.scan.model.Pkg;
import java.util.List;
import org.junit.jupiter.api.Test;

class NpmCatalogersTest {

    private final NpmPackageCataloger packages = new NpmPackageCataloger(LanguageLimits.DEFAULTS);
    private final NpmLockCataloger lock = new NpmLockCataloger(LanguageLimits.DEFAULTS);
    private final YarnLockCataloger yarn = new YarnLockCataloger(LanguageLimits.DEFAULTS);

    @Test
    void wantsOnlyPackageDirectoriesDirectlyUnderNodeModules() {
        assertThat(packages.wants(file("app/node_modules/express/package.json", 1200))).isTrue();
        assertThat(packages.wants(file("usr/lib/node_modules/npm/node_modules/@npmcli/arborist/package.json", 900)))
                .isTrue();
        assertThat(packages.wants(file("app/node_modules/express/lib/package.json", 100))).isFalse();
        assertThat(packages.wants(file("app/node_modules/resolve/test/fixtures/foo/package.json", 50))).isFalse();
        assertThat(packages.wants(file("app/package.json", 500))).isFalse();
        assertThat(packages.wants(file("app/node_modules/.bin/package.json", 10))).isFalse();
        assertThat(packages.wants(file("app/node_modules/@/package.json", 10))).isFalse();
        assertThat(packages.wants(file("app/node_modules/express/package.json", 64L << 20))).isFalse();
    }

    @Test
    void readsNameScopeVersionAndLicense() throws Exception {
        List<Pkg> express = read(packages, "app/node_modules/express/package.json", """
                {"name":"express","description":"Fast, unopinionated, minimalist web framework","version":"4.17.1",
                 "author":"TJ Holowaychuk <tj@vision-media.ca>","license":"MIT",
                 "dependencies":{"accepts":"~1.3.7","body-parser":"1.19.0"},"engines":{"node":">= 0.10.0"}}
                """);
        assertThat(express).containsExactly(new Pkg(PackageManager.NPM, "express", "4.17.1", null, null, null, "MIT",
                "app/node_modules/express/package.json"));
        List<Pkg> scoped = read(packages, "app/node_modules/@babel/core/package.json", """
                {"name":"@babel/core","version":"7.22.5","license":{"type":"MIT","url":"x"}}""");
        assertThat(scoped.getFirst().name()).isEqualTo("@babel/core");
        assertThat(scoped.getFirst().license()).isEqualTo("MIT");
        List<Pkg> legacy = read(packages, "app/node_modules/old/package.json", """
                {"name":"old","version":"0.0.1","licenses":[{"type":"MIT"},{"type":"Apache-2.0"}]}""");
        assertThat(legacy.getFirst().license()).isEqualTo("MIT OR Apache-2.0");
    }

    @Test
    void packageJsonWithoutNameOrVersionOrGarbageYieldsNothing() throws Exception {
        assertThat(read(packages, "app/node_modules/x/package.json", "{\"private\":true}")).isEmpty();
        assertThat(read(packages, "app/node_modules/x/package.json", "{\"name\":\"x\",\"version\":7}")).isEmpty();
        assertThat(read(packages, "app/node_modules/x/package.json", "[1,2]")).isEmpty();
        assertThat(read(packages, "app/node_modules/x/package.json", new byte[] {(byte) 0xff, 0, 1, '{'})).isEmpty();
        assertThat(read(packages, "app/node_modules/x/package.json", "{\"name\":\"x\",\"version\":\"1")).isEmpty();
    }

    @Test
    void packageLockV3ReadsPackagesSkippingRootLinksAndWorkspaces() throws Exception {
        String v3 = """
                {
                  "name": "shop", "version": "1.0.0", "lockfileVersion": 3, "requires": true,
                  "packages": {
                    "": {"name": "shop", "version": "1.0.0", "workspaces": ["packages/*"],
                         "dependencies": {"express": "^4.17.1"}},
                    "node_modules/express": {"version": "4.17.1",
                      "resolved": "https://registry.npmjs.org/express/-/express-4.17.1.tgz",
                      "integrity": "sha512-abc", "license": "MIT"},
                    "node_modules/express/node_modules/debug": {"version": "2.6.9", "license": "MIT"},
                    "node_modules/@types/node": {"version": "20.4.1", "dev": true, "license": "MIT"},
                    "node_modules/ui": {"resolved": "packages/ui", "link": true},
                    "packages/ui": {"name": "ui", "version": "0.1.0"}
                  }
                }""";
        List<Pkg> found = read(lock, "srv/shop/package-lock.json", v3);
        assertThat(ids(found)).containsExactlyInAnyOrder("express@4.17.1", "debug@2.6.9", "@types/node@20.4.1");
        assertThat(found).allSatisfy(p -> assertThat(p.filePath()).isEqualTo("srv/shop/package-lock.json"));
    }

    @Test
    void packageLockV1ReadsNestedDependencies() throws Exception {
        String v1 = """
                {"name":"legacy","version":"1.0.0","lockfileVersion":1,"requires":true,
                 "dependencies":{
                   "lodash":{"version":"4.17.15","resolved":"https://registry.npmjs.org/lodash/-/lodash-4.17.15.tgz",
                             "integrity":"sha512-x"},
                   "mkdirp":{"version":"0.5.1","requires":{"minimist":"0.0.8"},
                             "dependencies":{"minimist":{"version":"0.0.8"}}},
                   "mine":{"version":"file:../mine"}}}""";
        assertThat(ids(read(lock, "app/package-lock.json", v1)))
                .containsExactlyInAnyOrder("lodash@4.17.15", "mkdirp@0.5.1", "minimist@0.0.8");
    }

    @Test
    void packageLockV2PrefersPackagesOverItsV1CompatibilityDependencies() throws Exception {
        String v2 = """
                {"name":"app","lockfileVersion":2,
                 "dependencies":{"lodash":{"version":"4.17.15"}},
                 "packages":{"":{"name":"app"},"node_modules/lodash":{"version":"4.17.21"}}}""";
        assertThat(ids(read(lock, "package-lock.json", v2))).containsExactly("lodash@4.17.21");
        assertThat(read(lock, "package-lock.json", v2.substring(0, v2.length() - 3))).isEmpty();
        assertThat(read(lock, "package-lock.json", "{\"packages\":[1],\"dependencies\":7}")).isEmpty();
    }

    @Test
    void lockFilesInsideNodeModulesAreNotWanted() {
        assertThat(lock.wants(file("app/node_modules/.package-lock.json", 100))).isFalse();
        assertThat(lock.wants(file("app/node_modules/x/package-lock.json", 100))).isFalse();
        assertThat(lock.wants(file("app/my-package-lock.json", 100))).isFalse();
        assertThat(yarn.wants(file("app/node_modules/x/yarn.lock", 100))).isFalse();
        assertThat(yarn.wants(file("yarn.lock", 100))).isTrue();
    }

    @Test
    void yarnV1() throws Exception {
        String v1 = """
                # THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.
                # yarn lockfile v1


                "@babel/code-frame@^7.0.0", "@babel/code-frame@^7.10.4":
                  version "7.12.13"
                  resolved "https://registry.yarnpkg.com/@babel/code-frame/-/code-frame-7.12.13.tgz#dcfc826beef65e75c50e21d3837d7d95798dd658"
                  integrity sha512-HV1Cm0Q3ZrpCR93tkWOYiuYIgLxZXZFVG2VgK+MBWjUqZTundupbfx2aXarXuw5Ko5aMcjtJgbSs4vUGBS5v6g==
                  dependencies:
                    "@babel/highlight" "^7.12.13"

                lodash@^4.17.15, lodash@^4.17.19:
                  version "4.17.20"
                  resolved "https://registry.yarnpkg.com/lodash/-/lodash-4.17.20.tgz#b44a9b6297bcb698f1c51a3545a2b3b368d59c52"

                mine@file:../mine:
                  version "1.0.0"
                """;
        List<Pkg> found = read(yarn, "app/yarn.lock", v1);
        assertThat(ids(found)).containsExactly("@babel/code-frame@7.12.13", "lodash@4.17.20");
        assertThat(found.getFirst().manager()).isEqualTo(PackageManager.NPM);
    }

    @Test
    void yarnBerry() throws Exception {
        String berry = """
                # This file is generated by running "yarn install" inside your project.
                # Manual changes might be lost - proceed with caution!

                __metadata:
                  version: 6
                  cacheKey: 8

                "@types/node@npm:*, @types/node@npm:^20.0.0":
                  version: 20.4.1
                  resolution: "@types/node@npm:20.4.1"
                  checksum: 22a40d6e5d4e
                  languageName: node
                  linkType: hard

                "lodash@npm:^4.17.21":
                  version: 4.17.21
                  resolution: "lodash@npm:4.17.21"
                  languageName: node
                  linkType: hard

                "shop@workspace:.":
                  version: 0.0.0-use.local
                  resolution: "shop@workspace:."
                  languageName: unknown
                  linkType: soft

                "resolve@patch:resolve@npm%3A^1.20.0#~builtin<compat/resolve>":
                  version: 1.22.2
                  resolution: "resolve@patch:resolve@npm%3A1.22.2#~builtin<compat/resolve>::version=1.22.2"
                """;
        assertThat(ids(read(yarn, "app/yarn.lock", berry))).containsExactly("@types/node@20.4.1", "lodash@4.17.21");
    }

    @Test
    void hugeLinesAndGarbageInYarnLockDoNotBreakIt() throws Exception {
        String huge = "x".repeat(3_000_000) + ":\n  version \"1\"\nlodash@^4:\n  version \"4.17.21\"\n";
        assertThat(ids(read(yarn, "yarn.lock", huge))).containsExactly("lodash@4.17.21");
        byte[] garbage = new byte[100_000];
        new java.util.Random(7).nextBytes(garbage);
        assertThat(read(yarn, "yarn.lock", garbage)).isNotNull();
        assertThat(read(lock, "package-lock.json", garbage)).isEmpty();
    }

    @Test
    void filesOverTheTextCapAreNeitherWantedNorRead() throws Exception {
        LanguageLimits small = new LanguageLimits(100, 1 << 20, 2, 1 << 20);
        YarnLockCataloger capped = new YarnLockCataloger(small);
        assertThat(capped.wants(file("yarn.lock", 101))).isFalse();
        String text = "lodash@^4:\n  version \"4.17.21\"\n" + "#".repeat(200);
        // a size header that lies: the read itself is capped too
        assertThat(capped.read(file("yarn.lock", 10), new java.io.ByteArrayInputStream(text.getBytes()))).isEmpty();
    }
}
