# Sourced by the scripts: creates .venv with the pinned test requirements (once) and puts it
# first on PATH. Needs only python3.
venv="$root/.venv"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
stamp="$venv/.requirements"
if ! cmp -s "$root/cxm-py/requirements-test.txt" "$stamp"; then
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$root/cxm-py/requirements-test.txt"
  cp "$root/cxm-py/requirements-test.txt" "$stamp"
fi
export VIRTUAL_ENV="$venv"
export PATH="$venv/bin:$PATH"
