#!/usr/bin/env bash
# The whole evidence run behind docs/poc-report.md and docs/poc-report.ko.md, on a quiet machine (nothing else using the
# cores: the benchmark waits for other load and says when it measured beside some):
#   1. the test suite, with its results as TRX files in artifacts/tests;
#   2. the benchmark (sync vs async, both paths at the same offered load, processor bursts, scale curve, memory; then
#      what each path's load costs a cheap request) into docs/benchmarks;
#   3. the earlier rounds' targets: accept against /alive with hey, pickup and idle CPU, the 30-minute soak (about 60
#      minutes; the targets table reads "not measured in this run" for any it skips) into docs/benchmarks/{accept,pickup,soak};
#   4. the full chaos drill (1,000 reports, the default LP profile) into artifacts/chaos/result.json;
#   5. the report, in English and Korean, from those outputs.
# One run, one commit: it starts only on a clean tree and records the commit (docs/poc-report/inputs/run.json); after
# each step it keeps the step's output beside the report (the benchmark's results in docs/benchmarks, a copy of the
# drill's record and a summary of the TRX files in docs/poc-report/inputs) with its hash and the commit it ran on. The
# report states verdicts only from inputs so recorded for this commit; anything else reads "not measured in this run".
# A step that fails to write its output stops the run. Failing tests or a failing drill still write theirs: the report
# shows the failures, and the script ends non-zero. --skip-tests, --skip-benchmark, --skip-targets and --skip-chaos reuse
# a step's output only if an earlier run of the same commit recorded it; otherwise the report says that input was not
# measured.
# Usage: scripts/evidence.sh [--skip-tests] [--skip-benchmark] [--skip-targets] [--skip-chaos]
set -euo pipefail
cd "$(dirname "$0")/.."

tests_dir=artifacts/tests
benchmark_out=docs/benchmarks
chaos_record=artifacts/chaos/result.json
run_tests=1 run_benchmark=1 run_targets=1 run_chaos=1
for argument in "$@"; do
  case "$argument" in
    --skip-tests) run_tests=0 ;;
    --skip-benchmark) run_benchmark=0 ;;
    --skip-targets) run_targets=0 ;;
    --skip-chaos) run_chaos=0 ;;
    *) echo "Unknown argument '$argument'. Usage: scripts/evidence.sh [--skip-tests] [--skip-benchmark] [--skip-targets] [--skip-chaos]" >&2; exit 2 ;;
  esac
done

evidence() { dotnet run --project ReportPoc.Evidence -- "$@"; }
run_started=$SECONDS
failures=()
step() { echo; echo "==> [$(date +%H:%M:%S)] $1"; }
done_step() { echo "==> $1 done in $(( (SECONDS - $2) / 60 )) min $(( (SECONDS - $2) % 60 )) s"; }
# The output must be newer than the step's start: an old file would put another run's figures into the report.
written_since() { [ -e "$1" ] && [ "$(stat -c %Y "$1")" -ge "$2" ]; }
reuse() { echo "==> $1: skipped; the report uses it only if an earlier run of this commit recorded it"; }

# PostgreSQL for the AppHost, Chromium for the browser tests, a Hangul font for the Korean charts, hey for the accept mode.
[ $((run_tests + run_benchmark + run_targets + run_chaos)) -gt 0 ] && scripts/prerequisites.sh --with-browser --with-load-tools
evidence begin

if [ $run_tests = 1 ]; then
  step "1/5 test suite (ReportPoc.UnitTests and ReportPoc.Tests) → $tests_dir/*.trx"
  started=$SECONDS since=$(date +%s)
  rm -rf "$tests_dir"
  # The command test.sh runs, with xunit's TRX report per test project.
  dotnet test --solution ReportPoc.sln --report-xunit-trx --results-directory "$PWD/$tests_dir" || failures+=("tests failed (the report lists them)")
  compgen -G "$tests_dir/*.trx" >/dev/null && written_since "$(ls -t "$tests_dir"/*.trx | head -1)" "$since" \
    || { echo "The test run wrote no TRX file into $tests_dir." >&2; exit 1; }
  evidence stamp tests "$tests_dir"
  done_step "tests" "$started"
else
  reuse "1/5 test suite" "$tests_dir"
fi

if [ $run_benchmark = 1 ]; then
  step "2/5 benchmark (comparison, same-load comparison and scale curve, then collateral damage and outcomes; it starts the AppHost per setting) → $benchmark_out"
  started=$SECONDS since=$(date +%s)
  dotnet run -c Release --project ReportPoc.Benchmark -- compare --out "$benchmark_out"
  written_since "$benchmark_out/results.json" "$since" || { echo "The benchmark wrote no $benchmark_out/results.json." >&2; exit 1; }
  evidence stamp benchmark "$benchmark_out/results.json"
  # What each path's load costs a cheap request, with the as-is thread-per-request emulation (about 3 minutes).
  dotnet run -c Release --project ReportPoc.Benchmark -- --collateral --out "$benchmark_out"
  written_since "$benchmark_out/collateral/results.json" "$since" || { echo "The benchmark wrote no $benchmark_out/collateral/results.json." >&2; exit 1; }
  evidence stamp collateral "$benchmark_out/collateral/results.json"
  # Outcome push, the bridge against the as-is path, the migration rehearsal and 2,000 open streams (about 10 minutes).
  dotnet run -c Release --project ReportPoc.Benchmark -- --outcomes --out "$benchmark_out" || failures+=("an outcomes target was missed (the report shows which)")
  written_since "$benchmark_out/outcomes/results.json" "$since" || { echo "The benchmark wrote no $benchmark_out/outcomes/results.json." >&2; exit 1; }
  evidence stamp outcomes "$benchmark_out/outcomes/results.json"
  done_step "benchmark" "$started"
else
  reuse "2/5 benchmark" "$benchmark_out/results.json"
fi

if [ $run_targets = 1 ]; then
  step "3/5 the earlier rounds' targets (accept with hey, pickup and idle CPU, the 30-minute soak) → $benchmark_out/{accept,pickup,soak}"
  started=$SECONDS
  # Each mode starts the AppHost itself; a mode that fails leaves its targets "not measured in this run". The accept
  # mode measures with hey (Debian's hey package, installed above).
  for mode in "accept --accept" "pickup --pickup" "soak --soak 30m"; do
    set -- $mode
    name=$1; shift
    since=$(date +%s)
    if dotnet run -c Release --project ReportPoc.Benchmark -- "$@" --out "$benchmark_out" && written_since "$benchmark_out/$name/results.json" "$since"; then
      evidence stamp "$name" "$benchmark_out/$name/results.json"
    else
      failures+=("the $name mode wrote no results (its targets read not measured)")
    fi
  done
  done_step "targets" "$started"
else
  reuse "3/5 targets" "$benchmark_out/{accept,pickup,soak}"
fi

if [ $run_chaos = 1 ]; then
  step "4/5 full chaos drill (1,000 reports, default LP profile, through ChaosTests) → $chaos_record"
  started=$SECONDS since=$(date +%s)
  REPORTPOC_CHAOS=full REPORTPOC_LP_PROFILE=default dotnet test --project ReportPoc.Tests --filter-class "*ChaosTests" \
    || failures+=("the chaos drill failed (the report shows its record)")
  written_since "$chaos_record" "$since" || { echo "The chaos drill wrote no $chaos_record." >&2; exit 1; }
  evidence stamp chaos "$chaos_record"
  done_step "chaos drill" "$started"
else
  reuse "4/5 chaos drill" "$chaos_record"
fi

step "5/5 the report, English and Korean → docs/poc-report.md, docs/poc-report.ko.md, docs/poc-report/*.png"
evidence report --out docs

echo
echo "==> evidence run finished in $(( (SECONDS - run_started) / 60 )) min"
echo "    English: $PWD/docs/poc-report.md"
echo "    Korean:  $PWD/docs/poc-report.ko.md"
if [ ${#failures[@]} -gt 0 ]; then
  printf '    but: %s\n' "${failures[@]}" >&2
  exit 1
fi
