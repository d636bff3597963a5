# Sourced by the scripts: `uv` means the uv module of the machine's python3 (installed by scripts/bootstrap.sh),
# so no PATH shim is needed.
export UV_PYTHON_DOWNLOADS=never
uv() { python3 -m uv "$@"; }
