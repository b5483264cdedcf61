"""Smoke test of an installed cxm, run by scripts/test-install.sh in a fresh virtualenv where
the wheel was installed (plain Python, not pytest, and not from the source tree):

    python smoke_installed.py VERSION README.md

Checks that `cxm` is imported from that environment at VERSION, with its extras declared, then
runs the examples of the wheel's own description (cxm-py/README.md) and of the repository's
README.md against it.
"""

import contextlib
import io
import re
import sys
import sysconfig
from importlib import metadata
from pathlib import Path

import cxm


def python_blocks(markdown: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", markdown, re.S)


def main() -> None:
    version, readme = sys.argv[1], Path(sys.argv[2])
    site = Path(sysconfig.get_paths()["platlib"]).resolve()
    where = Path(cxm.__file__).resolve()
    assert site in where.parents, f"cxm was imported from {where}, not from {site}"
    assert cxm.__version__ == metadata.version("cxm") == version, (cxm.__version__, version)
    described = metadata.metadata("cxm")
    extras = sorted(described.get_all("Provides-Extra") or [])
    assert extras == ["dask", "pandas", "plot", "polars", "pyarrow", "spark"], extras

    examples = python_blocks(str(described.get_payload())) + python_blocks(readme.read_text())
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        for example in examples:
            exec(compile(example, "README", "exec"), {})
    printed = out.getvalue()
    # 5 promoters, 2 passives, 3 detractors: adjusted Wald (Rocks 2016) on 5.75, 3.5, 3.75 of 13
    # gives 15.4 ± 1.96 · 23.3, i.e. -30.3 to 61.1 (worked by hand).
    for expected in ["NPS 20.0 (95% CI -30.3 to 61.1)",
                     "score_out_of_range score 11 at index 1 is outside 0..=10"]:
        assert expected in printed, f"{expected!r} not in the examples' output:\n{printed}"
    print(f"cxm {cxm.__version__} from {where.parent}: {len(examples)} README examples ran")


if __name__ == "__main__":
    main()
