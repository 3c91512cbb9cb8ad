#!/usr/bin/env python3
"""Summarises a PIT mutations.xml per class: generated mutants, detected (killed, timed out or otherwise failing
the tests, as PIT counts them), survived and uncovered.

    python3 mutation/summary.py durable-runtime-local/target/pit-reports/mutations.xml
    python3 mutation/summary.py durable-runtime-local/target/pit-reports/mutations.xml --survivors Recovery
"""
import collections
import sys
import xml.etree.ElementTree as ET

DETECTED = {"KILLED", "TIMED_OUT", "MEMORY_ERROR", "RUN_ERROR"}


def main(argv):
    if len(argv) < 2:
        print(__doc__)
        return 2
    root = ET.parse(argv[1]).getroot()
    wanted = argv[argv.index("--survivors") + 1] if "--survivors" in argv else None
    per_class = collections.defaultdict(collections.Counter)
    survivors = []
    for m in root.iter("mutation"):
        cls = m.findtext("mutatedClass").split("$")[0].rsplit(".", 1)[-1]
        status = m.get("status")
        per_class[cls][status] += 1
        if status not in DETECTED and (wanted is None or wanted == cls):
            survivors.append((cls, int(m.findtext("lineNumber")), status, m.findtext("mutatedMethod"),
                              m.findtext("description")))
    if wanted is not None or "--all-survivors" in argv:
        for s in sorted(survivors):
            print("%s:%d %s %s: %s" % s)
        return 0
    print("| class | mutants | killed | timed out | survived | no coverage | detected % |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    total = collections.Counter()
    for cls in sorted(per_class):
        c = per_class[cls]
        total.update(c)
        print(row(cls, c))
    print(row("**total**", total))
    return 0


def row(name, c):
    n = sum(c.values())
    detected = sum(c[s] for s in DETECTED)
    return "| %s | %d | %d | %d | %d | %d | %.1f |" % (
        name, n, c["KILLED"], c["TIMED_OUT"] + c["MEMORY_ERROR"] + c["RUN_ERROR"], c["SURVIVED"], c["NO_COVERAGE"],
        100.0 * detected / n if n else 0)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
