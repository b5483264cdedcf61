import json
import os
import pathlib
import struct

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


def load(name):
    return json.loads((ROOT / "testdata" / f"{name}.json").read_text())


class Bits:
    """Lines of '<label> <hex bits>...', saved as $CXM_VECTOR_OUT/<suite>.python.txt when set: the
    Rust and C tests write the same lines from their surfaces."""

    def __init__(self):
        self.lines = []

    def line(self, label, *values):
        self.lines.append(" ".join([label] + [struct.pack(">d", v).hex() for v in values]))

    def save(self, suite):
        out = os.environ.get("CXM_VECTOR_OUT")
        if out:
            pathlib.Path(out).mkdir(parents=True, exist_ok=True)
            (pathlib.Path(out) / f"{suite}.python.txt").write_text("".join(x + "\n" for x in self.lines))


def close(got, want, tolerance):
    return abs(got - want) <= tolerance * max(abs(want), 1.0)


@pytest.fixture(scope="session")
def nps_vectors():
    return load("nps")
