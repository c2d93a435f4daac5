# Shared prologue of the experiment scripts (sourced by energy.sh, mram_ber.sh and
# sc_accuracy.sh): their options, where results go, and the sweep-and-merge step.
#
#   experiments/<name>.sh [--scbnn PATH] [--images N] [-j N] [-o DIR | --commit-results]
#
#   --scbnn PATH       the scbnn tool (default build/tools/scbnn)
#   --images N         test images per design point (default 10000, the full test set)
#   -j N               design points run in parallel (default: all cores)
#   -o DIR             write the tables, CSV files and plots into DIR
#                      (default build/experiments/<name>, a scratch directory)
#   --commit-results   write them into experiments/results/, the committed results:
#                      only when regenerating those on purpose (full test set)
# The sweep's per-point reports go to DIR/raw/<name>_<images>/ (a rerun resumes there).

experiment_usage() {
  sed -n '/^#   experiments/,/^# The sweep/p' "$experiments_dir/common.sh" | sed 's/^# \{0,1\}//; s/<name>/'"$experiment"'/'
}

experiment_fail() {
  echo "experiments/$experiment.sh: $*" >&2
  echo "usage:" >&2
  experiment_usage >&2
  exit 2
}

# experiment_setup NAME "$@": parses the options (paths relative to the caller's working
# directory), then works from the repository root. Sets scbnn, images, jobs, out (relative to
# the root when inside it), wrote (out, absolute) and work.
experiment_setup() {
  experiment=$1
  shift
  experiments_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
  local root out_option="" commit=false
  root=$(dirname "$experiments_dir")
  scbnn=$root/build/tools/scbnn
  images=10000
  jobs=$(nproc)
  while [ $# -gt 0 ]; do
    case $1 in
      --scbnn) [ $# -ge 2 ] || experiment_fail "--scbnn needs a path"; scbnn=$(realpath -m -- "$2"); shift 2 ;;
      --images) [ $# -ge 2 ] || experiment_fail "--images needs a number"; images=$2; shift 2 ;;
      -j) [ $# -ge 2 ] || experiment_fail "-j needs a number"; jobs=$2; shift 2 ;;
      -o) [ $# -ge 2 ] || experiment_fail "-o needs a directory"; out_option=$(realpath -m -- "$2"); shift 2 ;;
      --commit-results) commit=true; shift ;;
      -h|--help) experiment_usage; exit 0 ;;
      *) experiment_fail "unknown argument '$1'" ;;
    esac
  done
  [[ $images =~ ^[1-9][0-9]*$ ]] || experiment_fail "--images $images: expected a positive integer"
  [[ $jobs =~ ^[1-9][0-9]*$ ]] || experiment_fail "-j $jobs: expected a positive integer"
  if $commit && [ -n "$out_option" ]; then experiment_fail "give -o DIR or --commit-results, not both"; fi
  [ -x "$scbnn" ] || experiment_fail "no scbnn tool at $scbnn (build it, or give --scbnn PATH)"
  if $commit; then
    out=$root/experiments/results
  else
    out=${out_option:-$root/build/experiments/$experiment}
  fi
  [ ! -e "$out" ] || [ -d "$out" ] || experiment_fail "-o $out: not a directory"
  # Inside the repository the paths stay relative, so the committed gnuplot files name no machine's folders.
  # (wrote: the absolute path, for the closing message)
  wrote=$out
  case $out in "$root"/*) out=${out#"$root"/} ;; esac
  work=$out/raw/${experiment}_$images
  cd "$root"
  mkdir -p "$out/plots" "$out/raw"
}

# run_experiment_sweep SPEC: one process per design point of the sweep, $jobs at a time,
# resuming from the points already done, then the merged table $work/results.json.
run_experiment_sweep() {
  "$scbnn" sweep "$1" -o "$work" -j "$jobs" -p run.images="$images"
  "$scbnn" merge "$work" >/dev/null
}
