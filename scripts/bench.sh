#!/usr/bin/env bash
# Runs the service-level benchmarks (app/bench_test.go) at several dataset
# sizes and prints one Markdown table with the goals.
#
#   scripts/bench.sh                      # 10,000, 100,000 and 1,000,000 dossiers
#   SIZES="10000 100000" scripts/bench.sh
#
# Each size's dataset (testgen.Dossiers + BulkLoad after Setup) is
# built once into the system temp folder and reused by later runs: about 30 s
# and 0.5 GB for 100,000, ten times that for 1,000,000. Benchmarks that write
# use a working copy (…-work.db) made once per process and deleted at the end.
# The memory benchmark runs in a process of its own, after the build, so that
# its peak is the program's and not the generator's.
set -euo pipefail
cd "$(dirname "$0")/.."

sizes=${SIZES:-"10000 100000 1000000"}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
bin="$out/app.test"
go test -c -o "$bin" ./app

tmp=${TMPDIR:-/tmp}
for n in $sizes; do
  log="$out/$n.txt"
  echo "== $n dossiers" >&2
  start=$(date +%s)
  MOTCUA_BENCH_N=$n MOTCUA_BENCH_BUILD=1 "$bin" -test.run '^TestBuildBenchDataset$' -test.v 2>&1 | grep -E '^(built|--- )' >&2 || true
  db=$(ls "$tmp"/motcua-appbench-"$n"-g*-s*.db 2>/dev/null | grep -v -- -work.db | head -1)
  echo "BenchmarkDatasetMB 1 0 ns/op $(($(stat -c %s "$db") / 1000000)) MB" >>"$log"
  run() { # benchtime regex
    MOTCUA_BENCH_N=$n "$bin" -test.run '^$' -test.benchtime "$1" -test.bench "$2" 2>&1 | tee -a "$log" | grep -E '^(Benchmark|FAIL|panic)' >&2 || true
  }
  run 300x 'BenchmarkLookupByCode|BenchmarkNameSearch|BenchmarkQueue|BenchmarkStatistics|BenchmarkBoltFloor/get'
  run 200x 'BenchmarkReceive|BenchmarkBoltFloor/put'
  run 20x 'BenchmarkOpenHome'
  run 1x 'BenchmarkMemory'
  rm -f "$tmp"/motcua-appbench-"$n"-g*-work.db
  echo "   ($(($(date +%s) - start)) s)" >&2
done

# One table: a row per measure, a column per size.
awk -v sizes="$sizes" '
  FNR == 1 { split(FILENAME, p, "/"); n = p[length(p)]; sub(/\.txt$/, "", n) }
  /^Benchmark/ {
    name = $1; sub(/-[0-9]+$/, "", name)
    v[n, name, "ns/op"] = $3
    for (i = 5; i < NF; i += 2) v[n, name, $(i + 1)] = $i
  }
  function cell(n, name, unit, scale, fmtx,   x) {
    if (!((n, name, unit) in v)) return "–"
    x = v[n, name, unit] / scale
    return sprintf(fmtx, x)
  }
  function label(n) {
    if (n % 1000000 == 0) return n / 1000000 "M"
    if (n % 1000 == 0) return n / 1000 "k"
    return n
  }
  function row(title, goal, name, unit, scale, fmtx,   s, k) {
    s = "| " title " | " goal " |"
    for (k = 1; k <= ns; k++) s = s " " cell(sz[k], name, unit, scale, fmtx) " |"
    print s
  }
  END {
    ns = split(sizes, sz, " ")
    h = "| measure | goal at 100k |"; d = "|---|---|"
    for (k = 1; k <= ns; k++) { h = h " " label(sz[k]) " |"; d = d "---:|" }
    print h; print d
    row("dataset file (MB)", "", "BenchmarkDatasetMB", "MB", 1, "%.0f")
    row("receive, p50 (ms)", "", "BenchmarkReceive", "p50-ms", 1, "%.1f")
    row("receive, p99 (ms)", "≤ 10", "BenchmarkReceive", "p99-ms", 1, "%.1f")
    row("bbolt floor: Put + fsync commit, p50 (ms)", "", "BenchmarkBoltFloor/put-commit", "p50-ms", 1, "%.1f")
    row("bbolt floor: Put + fsync commit, p99 (ms)", "", "BenchmarkBoltFloor/put-commit", "p99-ms", 1, "%.1f")
    row("lookup by code, mean (µs)", "≤ 100", "BenchmarkLookupByCode", "ns/op", 1000, "%.0f")
    row("lookup by code, p99 (µs)", "", "BenchmarkLookupByCode", "p99-µs", 1, "%.0f")
    row("bbolt floor: Get, mean (µs)", "", "BenchmarkBoltFloor/get", "ns/op", 1000, "%.1f")
    row("name search without diacritics, p50 (ms)", "", "BenchmarkNameSearch", "p50-ms", 1, "%.1f")
    row("name search without diacritics, p95 (ms)", "≤ 20", "BenchmarkNameSearch", "p95-ms", 1, "%.1f")
    row("queue overdue, first 50, mean (ms)", "≤ 5", "BenchmarkQueue/overdue", "ns/op", 1e6, "%.2f")
    row("queue due soon, first 50, mean (ms)", "≤ 5", "BenchmarkQueue/due-soon", "ns/op", 1e6, "%.2f")
    row("queue processing, first 50, mean (ms)", "≤ 5", "BenchmarkQueue/processing", "ns/op", 1e6, "%.2f")
    row("queue supplement, first 50, mean (ms)", "≤ 5", "BenchmarkQueue/supplement", "ns/op", 1e6, "%.2f")
    row("queue all open, first 50, mean (ms)", "≤ 5", "BenchmarkQueue/open", "ns/op", 1e6, "%.2f")
    row("statistics, a quarter by procedure, mean (ms)", "", "BenchmarkStatistics/quarter", "ns/op", 1e6, "%.1f")
    row("statistics, a year by procedure, mean (ms)", "≤ 300", "BenchmarkStatistics/year", "ns/op", 1e6, "%.1f")
    row("statistics, a year, p99 (ms)", "", "BenchmarkStatistics/year", "p99-ms", 1, "%.1f")
    row("open database + home screen, mean (ms)", "≤ 500", "BenchmarkOpenHome", "ns/op", 1e6, "%.0f")
    row("open database + home screen, p99 (ms)", "", "BenchmarkOpenHome", "p99-ms", 1, "%.0f")
    row("peak resident memory, VmHWM (MB)", "≤ 250", "BenchmarkMemory", "hwm-MB", 1, "%.0f")
    row("anonymous memory at the end, RssAnon (MB)", "", "BenchmarkMemory", "anon-MB", 1, "%.0f")
    row("Go heap in use, peak sampled (MB)", "", "BenchmarkMemory", "heap-MB", 1, "%.1f")
    row("resident after open (MB)", "", "BenchmarkMemory", "rss-0-open-MB", 1, "%.0f")
    row("resident after home screen (MB)", "", "BenchmarkMemory", "rss-1-home-MB", 1, "%.0f")
    row("resident after 2 reports (MB)", "", "BenchmarkMemory", "rss-2-stats-MB", 1, "%.0f")
    row("resident after 200 name searches (MB)", "", "BenchmarkMemory", "rss-3-search-MB", 1, "%.0f")
  }
' $(for n in $sizes; do echo "$out/$n.txt"; done)
echo
echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(awk '/MemTotal/ {printf "%.0f GB RAM", $2/1048576}' /proc/meminfo), $(go version | cut -d' ' -f3)"
