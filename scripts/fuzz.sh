#!/usr/bin/env bash
# Runs the Jazzer fuzz targets (@FuzzTest, docs/security.md#fuzzing) in fuzzing mode, one after the other.
#   scripts/fuzz.sh                  every target for $FUZZ_SECONDS (default 300) seconds: the long run
#   scripts/fuzz.sh 5                every target for 5 seconds
#   scripts/fuzz.sh 60 ModelFuzzTest#manifests AuthFuzzTest#sigV4Headers   the named targets only
#   FUZZ_ROTATE=4 scripts/fuzz.sh 5  four targets, chosen by the day (every target in turn over the days); CI: 12
# A finding fails its run: Jazzer writes the input under src/test/resources/<package>/<Class>Inputs/<target>/, where
# the normal test suite then replays it (regression mode) until the bug is fixed. The corpus Jazzer grows is kept
# in <module>/.cifuzz-corpus/ (not committed) and reused by the next run. Exit status: the number of failed targets.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

SECONDS_PER_TARGET=${1:-${FUZZ_SECONDS:-300}}
shift $(( $# > 0 ? 1 : 0 ))
# module:Class#method, one per @FuzzTest method (scripts/fuzz.sh --list prints them; FuzzTargetsListedTest checks)
ALL=(
    wharf-core:ModelFuzzTest#manifests
    wharf-core:ModelFuzzTest#repositoryNames
    wharf-core:ModelFuzzTest#references
    wharf-core:ModelFuzzTest#tagFilters
    wharf-core:PolicyFuzzTest#policies
    wharf-core:LifecyclePolicyFuzzTest#lifecyclePolicies
    wharf-server:AuthFuzzTest#sigV4Headers
    wharf-server:AuthFuzzTest#presignedQueries
    wharf-server:AuthFuzzTest#registryTokens
    wharf-server:RangeFuzzTest#ranges
    wharf-server:RangeFuzzTest#contentRanges
    wharf-server:EcrJsonFuzzTest#requestBodies
    wharf-server:WharfApiFuzzTest#webhookBodies
    wharf-server:WharfApiFuzzTest#signaturePolicies
    wharf-server:SecretsManagerFuzzTest#requestBodies
    wharf-server:SessionTokensFuzzTest#tokens
    wharf-server:SessionTokensFuzzTest#payloads
    wharf-server:StsFuzzTest#forms
    wharf-server:StsFuzzTest#webIdentityTokens
    wharf-server:RemoteFuzzTest#challenges
    wharf-server:RemoteFuzzTest#tokenResponses
    wharf-server:RemoteFuzzTest#responseHeads
    wharf-server:QueryStringFuzzTest#queries
    wharf-server:ConsolePathFuzzTest#paths
    wharf-server:RegistryChallengeFuzzTest#authorizations
    wharf-server:AuditFuzzTest#lookupEvents
    wharf-server:AuditFuzzTest#requestParameters
    wharf-server:AuditFuzzTest#ociParameters
    wharf-scan:OsvFuzzTest#records
    wharf-scan:LayerFuzzTest#layers
    wharf-scan:LayerInsightFuzzTest#layers
    wharf-scan:PackageDatabaseFuzzTest#databases
    wharf-scan:LanguageFuzzTest#manifests
    wharf-scan:VersionFuzzTest#versions
)
if [ "$SECONDS_PER_TARGET" = --list ]; then
    printf '%s\n' "${ALL[@]}"
    exit 0
fi
if [ $# -gt 0 ]; then
    TARGETS=()
    for want in "$@"; do
        for t in "${ALL[@]}"; do [[ $t == *":$want" ]] && TARGETS+=("$t"); done
    done
elif [ -n "${FUZZ_ROTATE:-}" ]; then
    # Jazzer starts a JVM per target (seconds each); CI fuzzes a few per run and moves on by one set a day.
    TARGETS=()
    start=$(( $(date +%s) / 86400 * FUZZ_ROTATE ))
    for ((i = 0; i < FUZZ_ROTATE && i < ${#ALL[@]}; i++)); do
        TARGETS+=("${ALL[(start + i) % ${#ALL[@]}]}")
    done
else
    TARGETS=("${ALL[@]}")
fi

# Compile once; each target then runs in its own JVM (Jazzer fuzzes one target per run).
./mvnw -B -q -o -pl wharf-server -am test-compile || exit 1
# The fuzzing runs write Surefire reports too: keep those of the build before (CI counts them) and put them back.
kept=()
for d in */target/surefire-reports; do
    [ -d "$d" ] && mv "$d" "$d.kept" && kept+=("$d")
done
restore() {
    for d in "${kept[@]}"; do rm -rf "$d" && mv "$d.kept" "$d"; done
}
trap restore EXIT
fuzz_one() { # MODULE TEST LOG: one fuzzing run of one target
    JAZZER_FUZZ=1 JAZZER_MAX_DURATION="${SECONDS_PER_TARGET}s" \
        JAZZER_INSTRUMENTATION_INCLUDES='io.wharf.**' JAZZER_CUSTOM_HOOK_INCLUDES='io.wharf.**' \
        ./mvnw -B -q -o -pl "$1" -am toolchains:select-jdk-toolchain surefire:test -Dtest="$2" \
            -Dsurefire.failIfNoSpecifiedTests=false > "$3" 2>&1
}
finding() { # LOG: whether the failed run reports a failing input (a real one fails its second run too: it is saved as a seed)
    grep -q -E 'FAILURE|Java Exception|Crashing input|crash-|timeout-' "$1"
}
failed=0
for t in "${TARGETS[@]}"; do
    module=${t%%:*}
    test=${t#*:}
    printf '== %s (%ss)\n' "$test" "$SECONDS_PER_TARGET"
    # Instrument only Wharf's own classes: the parsers' branches are what coverage should steer, and the JVM
    # starts much faster without instrumenting every library.
    log=${TMPDIR:-/tmp}/wharf-fuzz-${test//[^A-Za-z]/_}.log
    if fuzz_one "$module" "$test" "$log"; then
        grep -h '^Done [0-9]* runs' "$log" | tail -1
    elif ! finding "$log" && fuzz_one "$module" "$test" "$log"; then
        # no input failed: the run itself did (seen once: Jazzer's start-up hung in its class scan and was stopped)
        echo "(the first run failed without a finding and was run again)"
        grep -h '^Done [0-9]* runs' "$log" | tail -1
    else
        failed=$((failed + 1))
        echo "FAILED: $test (log: $log; the input is under $module/src/test/resources)"
    fi
done
echo "$(( ${#TARGETS[@]} - failed )) passed, $failed failed"
exit "$failed"
