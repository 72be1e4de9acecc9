#!/usr/bin/env bash
# Classifies every message of the bounce corpus with `facteur bounces classify` and scores the result
# against the corpus's expected.tsv. Usage: scripts/score-bounces.sh [CORPUS_DIR]
# CORPUS_DIR defaults to $FACTEUR_BOUNCE_CORPUS, then ../shared/bounces next to the clone, then /work/shared/bounces.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
corpus="${1:-${FACTEUR_BOUNCE_CORPUS:-}}"
if [[ -z "$corpus" ]]; then
  if [[ -d "$root/../shared/bounces" ]]; then corpus="$root/../shared/bounces"; else corpus=/work/shared/bounces; fi
fi
[[ -f "$corpus/expected.tsv" && -d "$corpus/emails" ]] || { echo "score-bounces: no corpus at $corpus (need expected.tsv and emails/)" >&2; exit 2; }
facteur="${FACTEUR_BIN:-}"
if [[ -z "$facteur" ]]; then
  (cd "$root" && swift build --product facteur >&2)
  facteur="$(cd "$root" && swift build --show-bin-path)/facteur"
fi
python=/usr/bin/python3; [[ -x "$python" ]] || python=python3
"$facteur" bounces classify "$corpus"/emails/*.eml | "$python" "$root/scripts/score_bounces.py" "$corpus/expected.tsv"
