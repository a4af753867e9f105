# shellcheck shell=bash
# The closing line of .ci/run and the helpers that run an end-to-end suite for it, kept apart so that it
# can be exercised on its own (with made-up exit statuses and report files): sourced by .ci/run.

# java_totals STAMP: "run failures errors skipped" summed over the Surefire per-class reports newer than
# the file STAMP (written when this CI run started), so that reports of an earlier build never count.
java_totals() {
    find . -path './*/target/surefire-reports/*.txt' -newer "$1" -exec cat {} + |
        sed -n 's/^Tests run: \([0-9]*\), Failures: \([0-9]*\), Errors: \([0-9]*\), Skipped: \([0-9]*\).*/\1 \2 \3 \4/p' |
        awk '{r+=$1; f+=$2; e+=$3; s+=$4} END {print r+0, f+0, e+0, s+0}'
}

# closing_line JAVA_RUN JAVA_FAIL JAVA_ERR JAVA_SKIP MVN_RC [SUITE PASS FAIL RC HAS_SUMMARY]...
# One line for all suites: the Java build, then each end-to-end suite (e2e/run, e2e/cluster/run) as five
# words. A step with a non-zero exit status that its own counts do not show as a failure adds one failure
# (and a line saying which step), so the line can never read "0 failed" then.
closing_line() {
    local run=$1 jfail=$2 jerr=$3 skip=$4 mvn_rc=$5 extra=0 passed failed
    shift 5
    if [ "$run" -eq 0 ]; then
        echo "no Surefire report from this run (no test ran): 1 failure"
        extra=$((extra + 1))
    elif [ "$mvn_rc" -ne 0 ] && [ $((jfail + jerr)) -eq 0 ]; then
        echo "mvnw -B verify exited $mvn_rc with no failed test in this run's reports (compile error, crashed test JVM, ...): 1 failure"
        extra=$((extra + 1))
    fi
    passed=$(( run - jfail - jerr - skip ))
    failed=$(( jfail + jerr ))
    while [ $# -ge 5 ]; do
        local name=$1 epass=$2 efail=$3 e2e_rc=$4 summary=$5
        shift 5
        if [ "$summary" != yes ]; then
            echo "$name printed no summary line (it died or never ran): 1 failure"
            extra=$((extra + 1))
        elif [ "$e2e_rc" -ne 0 ] && [ "$efail" -eq 0 ]; then
            echo "$name exited $e2e_rc although its summary counts no failure: 1 failure"
            extra=$((extra + 1))
        fi
        passed=$((passed + epass))
        failed=$((failed + efail))
    done
    echo
    echo "$passed passed, $(( failed + extra )) failed, $skip skipped"
}

# run_e2e PREFIX SCRIPT: runs SCRIPT, sets PREFIX_RC, PREFIX_S (seconds) and PREFIX_LINE (its summary line).
run_e2e() {
    local prefix=$1 script=$2 t out line rc
    t=$(date +%s)
    out=$(mktemp)
    bash "$script" 2>&1 | tee "$out"
    rc=${PIPESTATUS[0]}
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$out" | tail -n 1)
    rm -f "$out"
    printf -v "${prefix}_RC" '%s' "$rc"
    printf -v "${prefix}_S" '%s' "$(( $(date +%s) - t ))"
    printf -v "${prefix}_LINE" '%s' "$line"
}
# e2e_words NAME RC LINE: the five words closing_line takes for one end-to-end suite
e2e_words() {
    local p f s=no
    p=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p' <<< "$3")
    f=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p' <<< "$3")
    [ -n "$3" ] && s=yes
    echo "$1 ${p:-0} ${f:-0} $2 $s"
}
