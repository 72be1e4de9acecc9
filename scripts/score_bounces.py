#!/usr/bin/env python3
"""Scores `facteur bounces classify` output against the corpus's expected.tsv (rule: corpus README).

Usage: score_bounces.py EXPECTED_TSV < classify-output.tsv
The k-th output line of a file is compared with that file's k-th expected row; the reason must be
equal and `hard` must be "hard" exactly when hardbounce is true. Missing lines count as wrong.
"""
import collections
import re
import sys


def family(name):
    match = re.match(r"^(?:lhost|rhost)-(.+?)-\d+\.eml$", name)
    if match:
        return match.group(1)
    return re.sub(r"-\d+\.eml$", "", name)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: score_bounces.py EXPECTED_TSV < classify.tsv")
    expected = collections.defaultdict(list)
    with open(sys.argv[1], encoding="utf-8") as handle:
        next(handle)
        for line in handle:
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 6:
                continue
            expected[cols[0]].append({"reason": cols[4], "hard": cols[5] == "true", "status": cols[2]})
    actual = collections.defaultdict(list)
    for line in sys.stdin:
        cols = line.rstrip("\n").split("\t")
        if len(cols) >= 5:
            actual[cols[0]].append({"recipient": cols[1], "status": cols[2], "reason": cols[3], "hard": cols[4]})

    totals = collections.Counter()
    per_family = collections.defaultdict(collections.Counter)
    misses = []
    hard_misses = []
    for name in sorted(expected):
        rows = expected[name]
        got = actual.get(name, [])
        for index, row in enumerate(rows):
            fam = family(name)
            per_family[fam]["rows"] += 1
            totals["rows"] += 1
            if row["reason"] == "none" and not got:
                reason_ok = hard_ok = True
                line = None
            elif index < len(got):
                line = got[index]
                reason_ok = line["reason"] == row["reason"]
                hard_ok = (line["hard"] == "hard") == row["hard"]
            else:
                line = None
                reason_ok = hard_ok = False
            totals["reason"] += reason_ok
            totals["hard"] += hard_ok
            per_family[fam]["reason"] += reason_ok
            per_family[fam]["hard"] += hard_ok
            if not hard_ok:
                hard_misses.append((name, index + 1, "hard" if row["hard"] else "not-hard",
                                    line["hard"] if line else "(missing)", line["reason"] if line else ""))
            if not reason_ok:
                misses.append((name, index + 1, row["reason"], line["reason"] if line else "(missing)",
                               line["recipient"] if line else ""))

    rows = totals["rows"] or 1
    print(f"rows {totals['rows']}  reason accuracy {totals['reason'] / rows:.3f}  "
          f"hard/soft agreement {totals['hard'] / rows:.3f}")
    print("\nper family (reason, hard/soft, rows), weakest first:")
    ranked = sorted(per_family.items(), key=lambda item: (item[1]["reason"] / item[1]["rows"], item[0]))
    for fam, counts in ranked:
        print(f"  {fam:20s} {counts['reason'] / counts['rows']:.2f}  {counts['hard'] / counts['rows']:.2f}  {counts['rows']}")
    if misses:
        print("\nreason mismatches (file, index, expected, got, recipient):")
        for miss in misses:
            print("  " + "\t".join(str(part) for part in miss))
    if hard_misses:
        print("\nhard/soft mismatches (file, index, expected, got, reason given):")
        for miss in hard_misses:
            print("  " + "\t".join(str(part) for part in miss))


if __name__ == "__main__":
    main()
