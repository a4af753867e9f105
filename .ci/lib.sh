# shellcheck shell=bash
# The closing line of .ci/run, kept apart so that it can be exercised on its own (with made-up exit
# statuses and report files): sourced by .ci/run.

# java_totals STAMP: "run failures errors skipped" summed over the Surefire per-class reports newer than
# the file STAMP (written when this CI run started), so that reports of an earlier build never count.
java_totals() {
    find . -path './*/target/surefire-reports/*.txt' -newer "$1" -exec cat {} + |
        sed -n 's/^Tests run: \([0-9]*\), Failures: \([0-9]*\), Errors: \([0-9]*\), Skipped: \([0-9]*\).*/\1 \2 \3 \4/p' |
        awk '{r+=$1; f+=$2; e+=$3; s+=$4} END {print r+0, f+0, e+0, s+0}'
}

# closing_line JAVA_RUN JAVA_FAIL JAVA_ERR JAVA_SKIP MVN_RC E2E_PASS E2E_FAIL E2E_RC E2E_HAS_SUMMARY
# One line for both suites. A step with a non-zero exit status that its own counts do not show as a
# failure adds one failure (and a line saying which step), so the line can never read "0 failed" then.
closing_line() {
    local run=$1 jfail=$2 jerr=$3 skip=$4 mvn_rc=$5 epass=$6 efail=$7 e2e_rc=$8 summary=$9 extra=0
    if [ "$run" -eq 0 ]; then
        echo "no Surefire report from this run (no test ran): 1 failure"
        extra=$((extra + 1))
    elif [ "$mvn_rc" -ne 0 ] && [ $((jfail + jerr)) -eq 0 ]; then
        echo "mvnw -B verify exited $mvn_rc with no failed test in this run's reports (compile error, crashed test JVM, ...): 1 failure"
        extra=$((extra + 1))
    fi
    if [ "$summary" != yes ]; then
        echo "e2e/run printed no summary line (it died or never ran): 1 failure"
        extra=$((extra + 1))
    elif [ "$e2e_rc" -ne 0 ] && [ "$efail" -eq 0 ]; then
        echo "e2e/run exited $e2e_rc although its summary counts no failure: 1 failure"
        extra=$((extra + 1))
    fi
    echo
    echo "$(( run - jfail - jerr - skip + epass )) passed, $(( jfail + jerr + efail + extra )) failed, $skip skipped"
}
