#!/usr/bin/env python3
"""Writes docs/bad-inputs.md, the human-readable page of the catalogue of bad inputs, from
testdata/bad_inputs.json (its cases and its surface_specific list) and from the C runner's tables
of statuses (the header's) and of the cases C cannot express (tests/c/test_catalogue.c: NOT_IN_C).

    python3 scripts/catalogue.py          # rewrite the page
    python3 scripts/catalogue.py --check  # exit 1 if the page is out of date (run by pytest)
"""

import json
import pathlib
import re
import sys
from collections import Counter

ROOT = pathlib.Path(__file__).resolve().parents[1]
CATALOGUE = ROOT / "testdata" / "bad_inputs.json"
C_RUNNER = ROOT / "tests" / "c" / "test_catalogue.c"
HEADER = ROOT / "include" / "cxm.h"
PAGE = ROOT / "docs" / "bad-inputs.md"


def c_table(text, name, pattern):
    """The rows of the C array `name` (from its declaration to its closing "};"), by `pattern`."""
    body = re.search(rf"\b{name}\[\] = \{{(.*?)\n\}};", text, re.S)
    if not body:
        sys.exit(f"{C_RUNNER}: no table {name}")
    return re.findall(pattern, body.group(1), re.S)


def code(text):
    """`text` as a Markdown code span, safe inside a table cell."""
    text = text.replace("|", "\\|")
    fence = "``" if "`" in text else "`"
    pad = " " if fence == "``" else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def cell(text):
    return text.replace("|", "\\|")


def page():
    doc = json.loads(CATALOGUE.read_text())
    cases, specific = doc["cases"], doc["surface_specific"]
    runner = C_RUNNER.read_text()
    # Each kind of the core is the status CXM_STATUS_<KIND> of the header, with the core's code
    # (cxm-ffi/tests/abi.rs checks that, and the C runner asks cxm_status_name).
    header = HEADER.read_text()
    kinds = {kind: f"CXM_STATUS_{kind.upper()}" for kind in sorted({case["kind"] for case in cases})}
    missing = [status for status in kinds.values() if f"{status} =" not in header]
    assert not missing, f"the header lacks {missing}"
    not_in_c = dict(c_table(runner, "NOT_IN_C", r'\{"([a-z0-9-]+)",\s*"([^"]*)"\}'))
    per_surface = Counter(s for case in cases for s in case["surfaces"])
    c_run = per_surface["c"] - sum(1 for case in cases if case["id"] in not_in_c)
    c_only = [e for e in specific if e["surface"] == "c"]
    py_only = [e for e in specific if e["surface"] == "python"]
    cli_only = [e for e in specific if e["surface"] == "cli"]
    for e in cli_only:
        # The named test must exist: the CLI has no runner that reads this list.
        path, function = e["test"].split("::")
        if f"fn {function}(" not in (ROOT / path).read_text():
            sys.exit(f"{e['id']}: no test {function} in {path}")

    out = []
    w = out.append
    w("# Bad inputs")
    w("")
    w("<!-- Written by scripts/catalogue.py from testdata/bad_inputs.json: do not edit. -->")
    w("")
    w(f"cxm refuses bad input with a typed error instead of a wrong number. `testdata/bad_inputs.json` is a "
      f"catalogue of {len(cases)} bad inputs, each a call, its arguments and the error it must get: a stable "
      "snake_case `kind` and a fragment its message must contain. The same file is run through every surface "
      "that names it in `surfaces`, so the three agree on what is refused and how it is reported.")
    w("")
    w(f"- **Rust** (`cxm-core/tests/catalogue.rs`, {per_surface['rust']} cases): calls the API and checks "
      "`Error::kind()` and the message. It is the specification of how each `call` maps onto the API.")
    w(f"- **C** (`tests/c/test_catalogue.c`, run by `scripts/test-c.sh` under AddressSanitizer/UBSan and "
      f"valgrind; {c_run} of {per_surface['c']} cases): builds the inputs (scores as `double` arrays for "
      "`cxm_nps_f64` and `cxm_rating_f64`, method names as the header's codes, result structs field by field), "
      "checks that the status is the kind's status (table below), that `cxm_last_error_message` contains the "
      "fragment, and that the failed call left its out-param, filled with `0xA5` bytes beforehand, unchanged. "
      f"It also runs the {len(c_only)} C-only cases listed further down.")
    w(f"- **Python** (`cxm-py/tests/test_catalogue.py`, {per_surface['python']} cases, one pytest each, by id): "
      "asserts `cxm.CxmError` with `.kind` equal to the case's kind and the fragment in its message. Python "
      "cannot build a result object field by field, so the hand-built struct cases are not run there.")
    w("")
    w("Numbers JSON cannot hold are written as strings (`\"nan\"`, `\"inf\"`, `\"-inf\"`, and 64-bit counts "
      "as decimal strings). An absent argument takes the catalogue's default: missing `\"reject\"`, level 0.95, "
      "scale `\"csat\"`, NPS method `\"adjusted_wald\"`, proportion method `\"wilson\"`, alternative "
      "`\"greater\"`, 10000 resamples, 100000 draws, seed 0, the uniform prior.")
    w("")
    w("## The cases")
    w("")
    w("A `c*` in the surfaces column marks a case the C ABI cannot express (see below the table).")
    w("")
    w("| id | what | call | surfaces | kind | message |")
    w("|---|---|---|---|---|---|")
    for case in cases:
        surfaces = ", ".join(s + ("*" if s == "c" and case["id"] in not_in_c else "") for s in case["surfaces"])
        w(f"| {cell(case['id'])} | {cell(case['what'])} | {code(case['call'])} | {surfaces} | "
          f"{code(case['kind'])} | {code(case['message'])} |")
    w("")
    w("### Not expressible in C")
    w("")
    w("The C runner skips these explicitly (`NOT_IN_C` in `tests/c/test_catalogue.c`):")
    w("")
    for case in cases:
        if case["id"] in not_in_c:
            w(f"- `{case['id']}`: {not_in_c[case['id']]}.")
    w("")
    w("### Kinds and C statuses")
    w("")
    w("The C ABI reports each kind as its own status of `include/cxm.h`, with the code the core declares "
      "(`cxm_core::Error::code`); `cxm_status_name` gives the kind's name back.")
    w("")
    w("| kind | C status | cases |")
    w("|---|---|---|")
    by_kind = Counter(case["kind"] for case in cases)
    for kind, status in kinds.items():
        w(f"| {code(kind)} | {code(status)} | {by_kind.get(kind, 0)} |")
    w("")
    w("## Surface-specific cases")
    w("")
    w("Bad inputs that exist on one surface only: C's pointers, lengths, enum codes and message buffer, and "
      "Python's types, the command line's files and flags. They are listed in `surface_specific` of `testdata/bad_inputs.json`, each with the "
      "test that checks it; the C runner runs its entries by id and checks the status named here.")
    w("")
    w("| id | surface | what | status, kind or exception | test |")
    w("|---|---|---|---|---|")
    for e in c_only + py_only + cli_only:
        path, function = e["test"].split("::")
        outcome = e["kind_or_exception"]
        outcome = cell(outcome) if outcome.startswith("none") else code(outcome)
        w(f"| {cell(e['id'])} | {e['surface']} | {cell(e['what'])} | {outcome} | "
          f"`{function}` in `{path}` |")
    return "\n".join(out) + "\n"


def main():
    text = page()
    if "--check" in sys.argv:
        if not PAGE.exists() or PAGE.read_text() != text:
            sys.exit(f"{PAGE.relative_to(ROOT)} is out of date: run python3 scripts/catalogue.py")
        return
    PAGE.parent.mkdir(parents=True, exist_ok=True)
    PAGE.write_text(text)


if __name__ == "__main__":
    main()
