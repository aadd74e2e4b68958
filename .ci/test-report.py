#!/usr/bin/env python3
"""Summarises a failed `swift test` log: the issues each failing test recorded (with the lines that
follow them) and the tests and suites that started but never finished (after a timeout). CI prints
only the tail of its log, so the summary goes last."""
import re
import sys

CONTEXT = 6
started, finished = {}, set()
failures = []
with open(sys.argv[1], encoding="utf-8", errors="replace") as log:
    lines = [line.rstrip("\n") for line in log]

for number, line in enumerate(lines):
    text = line.strip()
    match = re.match(r"^\S+ (Test|Suite) (.+?) started\.$", text)
    if match and not match.group(2).startswith("case "):
        started.setdefault(match.group(1) + " " + match.group(2), number)
        continue
    match = re.match(r"^\S+ (Test|Suite) (.+?)(?: with \d+ test cases?| with \d+ tests? in \d+ suites?)? (?:passed|failed|skipped)", text)
    if match:
        finished.add(match.group(1) + " " + match.group(2))
    # Swift Testing marks an issue with "✘ Test … recorded an issue"; XCTest with "error: … : XCT…" lines.
    if (text.startswith("✘") and "recorded an issue" in text) or re.search(r": error: .*XCT", text):
        block = [text]
        for follow in lines[number + 1 : number + 1 + CONTEXT]:
            if re.match(r"^\S+ (Test|Suite) ", follow.strip()):
                break
            block.append("    " + follow.strip())
        failures.append(block)

failed_tests = sorted({m.group(1) for l in lines if (m := re.match(r"^✘ Test (.+?) failed after ", l.strip()))})
print(f"{len(failures)} recorded issue(s) in {len(failed_tests)} failed test(s):" if failures or failed_tests else "no recorded issues")
for block in failures:
    print("\n".join("  " + entry for entry in block))
for name in failed_tests:
    print("  failed: " + name)

unfinished = sorted((name for name in started if name not in finished), key=lambda name: not name.startswith("Test "))
print(f"{len(unfinished)} test(s)/suite(s) started and never finished:" if unfinished else "every started test finished")
for name in unfinished:
    print("  " + name)
