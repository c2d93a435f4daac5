#!/usr/bin/env bash
# The installed tool finds its own data wherever the installed tree is: installs into a
# temporary prefix, moves the tree to another directory (the configure-time prefix no
# longer exists), and from an unrelated working directory runs the default job on a few
# images with the shipped network and every shipped preset. The reports must name files of
# the moved tree only (never the source or build tree). Then SCBNN_DATA_DIR overrides the
# search, and a name found nowhere is refused with every directory searched.
#   install_run_test.sh BUILD_DIR
set -euo pipefail
build=$(realpath "$1")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

cmake --install "$build" --prefix "$work/prefix" >/dev/null
mv "$work/prefix" "$work/moved"
prefix=$work/moved
mkdir "$work/cwd"
cd "$work/cwd"
export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1
unset SCBNN_DATA_DIR

report_field() { python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$@"; }

presets=$(cd "$prefix/share/scbnn/presets" && ls -- *.yaml | sed 's/\.yaml$//')
[ "$(echo "$presets" | wc -w)" -ge 2 ] || fail "fewer than two presets installed: $presets"
for preset in $presets; do
  "$prefix/bin/scbnn" run -q -p run.images=5 -p power.preset=$preset --report "r_$preset.json" \
    || fail "installed scbnn run with power.preset=$preset failed"
  network=$(report_field "r_$preset.json" 'r["network"]["path"]')
  preset_file=$(report_field "r_$preset.json" 'r["power"]["preset"]["file"]')
  [ "$network" = "$prefix/share/scbnn/networks/fmnist_bnn_fixed.scbnn" ] || fail "network read from $network"
  [ "$preset_file" = "$prefix/share/scbnn/presets/$preset.yaml" ] || fail "preset read from $preset_file"
  [ "$(report_field "r_$preset.json" 'r["accuracy"]["images"]')" = 5 ] || fail "not 5 images"
done
echo "relocated install: network and presets found in $prefix/share/scbnn"

# SCBNN_DATA_DIR replaces the search: a copy of the data elsewhere is used, and nothing else.
cp -r "$prefix/share/scbnn" "$work/data"
SCBNN_DATA_DIR=$work/data "$prefix/bin/scbnn" run -q -p run.images=2 --report env.json || fail "run with SCBNN_DATA_DIR"
[ "$(report_field env.json 'r["network"]["path"]')" = "$work/data/networks/fmnist_bnn_fixed.scbnn" ] \
  || fail "SCBNN_DATA_DIR not used for the network"
[ "$(report_field env.json 'r["power"]["preset"]["file"]')" = "$work/data/presets/st-mram-28nm.yaml" ] \
  || fail "SCBNN_DATA_DIR not used for the preset"

# Not found: the message names the key and every directory searched; no report is left.
if "$prefix/bin/scbnn" run -q -p run.images=1 -p power.preset=no-such-preset --report bad.json 2>err.txt; then
  fail "an unknown preset was accepted"
fi
grep -q "power.preset = 'no-such-preset'" err.txt && grep -qF "$prefix/share/scbnn/presets" err.txt \
  || fail "preset error does not name the key and the directory searched: $(cat err.txt)"
if SCBNN_DATA_DIR=$work/nowhere "$prefix/bin/scbnn" run -q -p run.images=1 2>err.txt; then
  fail "a network missing from SCBNN_DATA_DIR was found elsewhere"
fi
grep -qF "network.path = 'fmnist_bnn_fixed.scbnn'" err.txt && grep -qF "$work/nowhere/networks" err.txt \
  || fail "network error does not name the key and the directory searched: $(cat err.txt)"
[ ! -e bad.json ] || fail "a failed run left its report"
echo "PASS"
