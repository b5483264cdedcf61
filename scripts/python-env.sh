# Sourced by the scripts: creates .venv with the pinned test requirements (once) and puts it
# first on PATH. Needs only python3, 3.11 or later.
venv="$root/.venv"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
# pyspark 4.3, in the test requirements, needs Python 3.11 or later.
"$venv/bin/python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
  echo "$venv has Python $("$venv/bin/python" -c 'import platform; print(platform.python_version())'): the test requirements (pyspark 4.3) need 3.11 or later; remove it and run with a newer python3" >&2
  exit 1
}
stamp="$venv/.requirements"
if ! cmp -s "$root/cxm-py/requirements-test.txt" "$stamp"; then
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$root/cxm-py/requirements-test.txt"
  cp "$root/cxm-py/requirements-test.txt" "$stamp"
fi
export VIRTUAL_ENV="$venv"
export PATH="$venv/bin:$PATH"
