#!/usr/bin/env bash
# Installs, as root, the Debian packages the test suite talks to: Python's
# xarray stack (the interop peer for our HDF5 files) and Jupyter (a real
# server, nbclient and ipykernel drive and measure our kernel). Idempotent: only missing
# packages are fetched, so a second run costs a dpkg query. python3-jupyter-kernel-test:
# the Jupyter project's kernel conformance suite, run against our kernel. python3-venv: the
# kernelspec tests install our kernel into a real virtual environment. python3-pyfai and
# python3-scipy: the reference for azimuthal integration (pyFAI's CSR engines). jupyterhub,
# jupyter-notebook (classic UI 6.4) and chromium: the local hub (scripts/hub-local.sh) and the
# browser the hub tests drive (Debian's chromium; playwright-core downloads nothing).
# fonts-dejavu-core: the font of the plots' PNG fallbacks (see docs/plots.md).
set -euo pipefail

PACKAGES=(
  python3-numpy python3-h5py python3-xarray python3-h5netcdf python3-netcdf4 python3-dask
  python3-jupyter-server python3-ipykernel python3-nbclient python3-nbformat
  python3-jupyter-client python3-nbconvert jupyter-core jupyter-client jupyter-server
  python3-venv python3-jupyter-kernel-test python3-pyfai python3-scipy
  jupyterhub jupyter-notebook python3-notebook chromium fonts-dejavu-core
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "installing Debian packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
/usr/bin/python3 -c 'import numpy, h5py, xarray, h5netcdf, netCDF4, dask; print("python peers: xarray", xarray.__version__, "h5py", h5py.__version__, "netCDF4", netCDF4.__version__)'
/usr/bin/python3 -c 'import jupyter_server, nbclient, ipykernel; print("jupyter peers: jupyter_server", jupyter_server.__version__, "nbclient", nbclient.__version__, "ipykernel", ipykernel.__version__)'
/usr/bin/python3 -c 'import pyFAI, scipy; print("science peers: pyFAI", pyFAI.version, "scipy", scipy.__version__)' 2>/dev/null
chromium --version 2>/dev/null | sed 's/^/browser: /' || true
/usr/bin/jupyterhub --version 2>/dev/null | sed 's/^/hub: jupyterhub /' || true
