#!/usr/bin/env bash
# Coverage-guided fuzzing of the bounce parsers with libFuzzer (not run in CI).
#
#   scripts/fuzz-bounces.sh [SECONDS] [TARGETS]     (default 120 s per target; TARGETS "mime dsn headers")
#
# Each target is built with `swiftc -sanitize=fuzzer,address` from the parser's own sources
# (Sources/Bounces/{MIME,Parsing,Classification}, the report formatter and SMTP's EnhancedStatus, copied
# into one module) plus scripts/fuzz/BounceFuzzEntry.swift: no package build and no change to
# Package.swift, so `swift build` / `swift test` never see libFuzzer. The corpus starts from the shared
# bounce corpus (../shared/bounces/emails, or $FACTEUR_BOUNCE_CORPUS/emails) and the PHPList sample;
# it grows in .build/fuzz/corpus-TARGET. Crashes land in .build/fuzz/artifacts/; turn each into a
# regression test in Tests/BouncesTests. JOBS=N runs N workers per target; MAX_LEN caps input size
# (default 65536; 8192 runs many more inputs per second).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SECONDS_PER_TARGET=${1:-120}
TARGETS=${2:-"mime dsn headers"}
work="$here/.build/fuzz"
mkdir -p "$work/artifacts"
. "$here/scripts/lib/bounce-parser-sources.sh"

corpus_dir="${FACTEUR_BOUNCE_CORPUS:-}"
if [[ -z "$corpus_dir" ]]; then
  if [[ -d "$here/../shared/bounces" ]]; then corpus_dir="$here/../shared/bounces"; else corpus_dir=/work/shared/bounces; fi
fi

copy_bounce_parser_sources "$work/src"
for target in $TARGETS; do
  flag=$(echo "$target" | tr '[:lower:]' '[:upper:]')
  binary="$work/fuzz-$target"
  if [[ ! -x "$binary" || -n "$(find "$work/src" "$here/scripts/fuzz" -newer "$binary" -name '*.swift' | head -1)" ]]; then
    echo "building $binary…" >&2
    swiftc -O -g -sanitize=fuzzer,address -parse-as-library -module-name Bounces -D "FUZZ_$flag" \
      "$here/scripts/fuzz/BounceFuzzEntry.swift" "$work"/src/*.swift -o "$binary" 2>&1 | grep -v "Cannot export local symbol" >&2 || true
    [[ -x "$binary" ]] || { echo "fuzz-bounces: build of $target failed" >&2; exit 1; }
  fi
  seeds="$work/corpus-$target"
  mkdir -p "$seeds"
  if [[ -z "$(ls -A "$seeds")" ]]; then
    cp "$corpus_dir"/emails/*.eml "$seeds/" 2>/dev/null || true
    awk -v d="$seeds" '/^From /{n++} {print > (d "/phplist-sample-" n ".eml")}' "$here/compat/phplist-3.6.15/bounces-sample.mbox"
  fi
  echo "fuzzing $target for $SECONDS_PER_TARGET s…" >&2
  "$binary" "$seeds" -max_total_time="$SECONDS_PER_TARGET" -max_len="${MAX_LEN:-65536}" -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$work/artifacts/$target-" ${JOBS:+-jobs="$JOBS" -workers="$JOBS"} 2>&1 | tee "$work/$target.log" | grep -E "^#[0-9]+.*(DONE|pulse)|ERROR|SUMMARY|Done" >&2 || true
  grep -E "^(#[0-9]+\s+DONE|Done [0-9]+ runs)" "$work/$target.log" | tail -1 >&2 || true
done
ls "$work/artifacts" | grep -q . && { echo "fuzz-bounces: artifacts in $work/artifacts:" >&2; ls "$work/artifacts" >&2; exit 1; }
echo "fuzz-bounces: no crash" >&2
