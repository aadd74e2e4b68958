#!/usr/bin/env python3
"""Names the tests and suites a `swift test` log shows as started but never finished (after a timeout)."""
import re
import sys

started, finished = {}, set()
with open(sys.argv[1], encoding="utf-8", errors="replace") as log:
    for number, line in enumerate(log, 1):
        match = re.match(r"^\S+ (Test|Suite) (.+?) started\.$", line.strip())
        if match and not match.group(2).startswith("case "):
            started.setdefault(match.group(1) + " " + match.group(2), number)
            continue
        match = re.match(r"^\S+ (Test|Suite) (.+?)(?: with \d+ test cases?| with \d+ tests? in \d+ suites?)? (?:passed|failed|skipped)", line.strip())
        if match:
            finished.add(match.group(1) + " " + match.group(2))
unfinished = sorted((name for name in started if name not in finished), key=lambda name: not name.startswith("Test "))
print(f"{len(unfinished)} test(s)/suite(s) started and never finished:" if unfinished else "every started test finished")
for name in unfinished:
    print("  " + name)
