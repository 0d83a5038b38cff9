"""JUnit XML: a test suite per report, a failing test case per finding (a passing one for a clean report)."""

from __future__ import annotations

from typing import IO, Any
from xml.etree import ElementTree as ET

from . import span


def write(results: list[Any], stream: IO[str], options: Any) -> None:
    suites = ET.Element("testsuites", name="dlint")
    total = failures = 0
    for r in results:
        n = len(r.diagnostics)
        failing = sum(1 for d in r.diagnostics if d.severity != "info")  # an info finding is advice, not a failure
        suite = ET.SubElement(suites, "testsuite", name=r.path, tests=str(max(n, 1)), failures=str(failing), errors="0")
        total += max(n, 1)
        failures += failing
        if not n:
            ET.SubElement(suite, "testcase", name="dlint", classname=r.path)
        for d in r.diagnostics:
            line, col, _, _ = span(r, d)
            case = ET.SubElement(suite, "testcase", name=f"{d.code} {d.name} at {line}:{col}", classname=r.path,
                                 file=r.path, line=str(line))
            text = f"{r.path}:{line}:{col}: {d.code} {d.message}" + (f"\nhelp: {d.help}" if d.help else "")
            if d.severity == "info":
                ET.SubElement(case, "system-out").text = text
                continue
            failure = ET.SubElement(case, "failure", message=d.message, type=d.severity)
            failure.text = text
    suites.set("tests", str(total))
    suites.set("failures", str(failures))
    ET.indent(suites)
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    stream.write(ET.tostring(suites, encoding="unicode"))
    stream.write("\n")
