"""Writing a vector file, or checking that the checked-in one is what its generator writes."""

import json
import pathlib
import sys


def write_or_check(path: pathlib.Path, document: dict) -> None:
    """Writes ``document`` as JSON to ``path``; with ``--check`` on the command line, exits 1
    instead when the file differs from what would be written."""
    text = json.dumps(document, indent=1) + "\n"
    if "--check" in sys.argv:
        if path.read_text() != text:
            sys.exit(f"{path} is out of date: run python3 {pathlib.Path(sys.argv[0]).name}")
        return
    path.write_text(text)
