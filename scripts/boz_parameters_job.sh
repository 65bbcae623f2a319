#!/bin/bash
# BOZ correction parameters (part I.a) of one DSSC module: runs the BOZ
# template notebook with `scs run` on a run of three broken membranes and its
# dark run, writing into <proposal>/usr/processed_runs/r<4-digit run>/ the
# output notebook and the parameters JSON (flat field, non-linearity). Same
# flags and defaults as the Python-era SCS ToolBox script (docs/environments.md#job-scripts);
# unlike it, no GPU partition: the determination takes minutes on CPU cores (docs/boz.md).
#
#   sbatch -p upex_002937 boz_parameters_job.sh -p 2937 -d 615 -r 614 -g 3
#
# The batch options below are read by sbatch only; options on the sbatch command line win.
# One node: the notebook runs in one kernel process on one machine.
#SBATCH --nodes=1
# The determination takes minutes on two cores (hours in the Python era); sbatch --time changes it.
#SBATCH --time=02:00:00
# Job name shown by squeue and used in the log name.
#SBATCH --job-name=boz_parameters
# Log in the submission folder (sbatch does not create folders, so no logs/ subfolder here).
#SBATCH --output=%x-%j.out
# No partition here: pass the proposal's reservation or partition to sbatch (-p upex_002937).

set -euo pipefail

# sbatch runs a copy named slurm_script in its spool folder: the submitted file (its name for
# messages, and the toolbox around it) is found through the job's Command in scontrol
script_path() {
  local src=${BASH_SOURCE[0]} cmd
  if [ -n "${SLURM_JOB_ID:-}" ] && [ "$(basename "$src")" = slurm_script ] && command -v scontrol >/dev/null; then
    cmd=$(scontrol show job "$SLURM_JOB_ID" 2>/dev/null | sed -n 's/^ *Command=//p' | head -n1)
    [ -f "$cmd" ] || cmd=${cmd%% *}   # newer SLURM append the script's arguments
    [ -f "$cmd" ] && src=$cmd
  fi
  echo "$(cd "$(dirname "$src")" && pwd)/$(basename "$src")"
}
SCRIPT_PATH=$(script_path)
SCRIPT_DIR=$(dirname "$SCRIPT_PATH")
PROG=$(basename "$SCRIPT_PATH")

usage() {
  cat <<USAGE
usage: $PROG -p PROPOSAL -d DARK_RUN -r RUN [-k KERNEL] [-g GAIN] [-t ROIS_THRESHOLD] [-s SAT_LEVEL] [-m MODULE]
  -p  proposal number (e.g. 2937)
  -d  dark run number
  -r  run number (three broken membranes)
  -k  kernel name (default toolbox_p<6-digit proposal>, the proposal environment's kernel)
  -g  DSSC gain in photons per ADU bin, as Python's (default 3)
  -t  threshold for finding the ROIs of the membranes (default 1)
  -s  saturation level in ADU: frames with a brighter pixel in the 'sat' ROI are left out (default 500)
  -m  DSSC module, 0-15 (default 15)
environment:
  BOZ_NOTEBOOK       template notebook (default: "\$SCS_NOTEBOOK_DIR/BOZ analysis part I.a Correction determination.ipynb")
  SCS_NOTEBOOK_DIR   folder of the template notebooks (default: the current folder, then the toolbox's notebooks/)
  SCS_CMD            how to call scs (default: the toolbox's dist/scripts/scs.js, else scs on PATH,
                     else node_modules/.bin/scs in the submission folder)
  EXFEL_DATA_ROOT    root of the proposal folders (default /gpfs/exfel/exp)
  SCS_DRY_RUN=1      print the scs command instead of running it
USAGE
}

PROPOSAL='' DARK_RUN='' RUN='' KERNEL='' GAIN=3 ROIS_TH=1 SAT_LEVEL=500 MODULE=15
while getopts ":p:d:r:k:g:t:s:m:h" option; do
  case $option in
    p) PROPOSAL=$OPTARG ;;
    d) DARK_RUN=$OPTARG ;;
    r) RUN=$OPTARG ;;
    k) KERNEL=$OPTARG ;;
    g) GAIN=$OPTARG ;;
    t) ROIS_TH=$OPTARG ;;
    s) SAT_LEVEL=$OPTARG ;;
    m) MODULE=$OPTARG ;;
    h) usage; exit 0 ;;
    :) echo "$PROG: option -$OPTARG needs a value" >&2; usage >&2; exit 2 ;;
    \?) echo "$PROG: unknown option -$OPTARG" >&2; usage >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
[ $# -eq 0 ] || { echo "$PROG: unexpected argument '$1'" >&2; usage >&2; exit 2; }

# ---- shared with the other *_job.sh (kept inline: sbatch runs a copy of this file, without its folder)
die() { echo "$PROG: $*" >&2; exit 2; }
require_number() { [[ $3 =~ ^[0-9]+$ ]] || die "option $1 ($2) needs a number, got '${3}'"; }
scs_cmd() {
  local submitted=${SLURM_SUBMIT_DIR:-$PWD}/node_modules/.bin/scs
  if [ -n "${SCS_CMD:-}" ]; then echo "$SCS_CMD"
  elif [ -f "$SCRIPT_DIR/../dist/scripts/scs.js" ]; then echo "node $SCRIPT_DIR/../dist/scripts/scs.js"
  elif command -v scs >/dev/null; then echo scs
  elif [ -x "$submitted" ]; then echo "$submitted"
  else die "cannot find the scs command (not in $SCRIPT_DIR/../dist/scripts, on PATH or in $submitted): set SCS_CMD"
  fi
}
# The notebook: $VAR if set, else NAME in $SCS_NOTEBOOK_DIR, the current folder (where sbatch was run), or the toolbox's notebooks/.
template_notebook() {
  local var=$1 name=$2 dir
  if [ -n "${!var:-}" ]; then
    [ -f "${!var}" ] || die "template notebook $var='${!var}' not found"
    echo "${!var}"; return
  fi
  for dir in ${SCS_NOTEBOOK_DIR:+"$SCS_NOTEBOOK_DIR"} . "$SCRIPT_DIR/../notebooks"; do
    [ -f "$dir/$name" ] && { echo "$dir/$name"; return; }
  done
  die "template notebook '$name' not found in ${SCS_NOTEBOOK_DIR:+$SCS_NOTEBOOK_DIR, }$(pwd) or $SCRIPT_DIR/../notebooks (set $var)"
}
# <proposal>/usr/processed_runs/r<4-digit run>/, created; the proposal found like findxfel (scs env proposal-path).
processed_run_dir() {
  local scs path dir
  scs=$(scs_cmd) || exit 2
  # shellcheck disable=SC2086
  path=$($scs env proposal-path "$1") || exit 1
  dir=$(printf '%s/usr/processed_runs/r%04d' "$path" "$((10#$2))")
  if [ -z "${SCS_DRY_RUN:-}" ]; then mkdir -p "$dir" || die "cannot create $dir"; fi
  echo "$dir"
}
run_notebook() {
  local input=$1 output=$2 kernel=$3; shift 3
  local -a cmd
  read -r -a cmd <<<"$(scs_cmd)"
  cmd+=(run "$input" "$output" -k "$kernel" --cwd "$(dirname "$output")" "$@")
  if [ -n "${SCS_DRY_RUN:-}" ]; then printf '%q ' "${cmd[@]}"; echo; return; fi
  echo "running: ${cmd[*]}"
  exec "${cmd[@]}"
}
# ----
require_number -p proposal "$PROPOSAL"
require_number -d 'dark run' "$DARK_RUN"
require_number -r run "$RUN"
require_number -m module "$MODULE"
[[ $GAIN =~ ^[0-9]*\.?[0-9]+$ ]] || die "option -g (gain) needs a number, got '$GAIN'"
[[ $ROIS_TH =~ ^[0-9]*\.?[0-9]+$ ]] || die "option -t (ROI threshold) needs a number, got '$ROIS_TH'"
[[ $SAT_LEVEL =~ ^[0-9]*\.?[0-9]+$ ]] || die "option -s (saturation level) needs a number, got '$SAT_LEVEL'"
# the proposal environment's kernel (scs-create-toolbox-env + scs-activate-toolbox-kernel)
KERNEL=${KERNEL:-$(printf 'toolbox_p%06d' "$((10#$PROPOSAL))")}
NOTEBOOK=$(template_notebook BOZ_NOTEBOOK 'BOZ analysis part I.a Correction determination.ipynb')
OUT_DIR=$(processed_run_dir "$PROPOSAL" "$RUN")

run_notebook "$NOTEBOOK" "$OUT_DIR/boz_parameters_m${MODULE}.ipynb" "$KERNEL" \
  -p proposal "$PROPOSAL" -p darkrun "$DARK_RUN" -p run "$RUN" -p module "$MODULE" \
  -p gain "$GAIN" -p rois_th "$ROIS_TH" -p sat_level "$SAT_LEVEL" -p path "$OUT_DIR/"
