#!/usr/bin/env bash
# Installs the built package into a temporary prefix, then builds and runs two consumer
# projects that find it with find_package(scbnn):
#  - consumer_vp: a platform that also uses Boost iostreams, log and program_options (found
#    the old way, through Boost_LIBRARIES); find_package(scbnn) must leave every variable of
#    its scope as it was (tests/consumer/CMakeLists.txt checks), and it builds the
#    accelerator from a YAML configuration exactly as `scbnn run` does;
#  - consumer_tlm: the TLM modules alone (COMPONENTS tlm), configured as if yaml-cpp, zlib
#    and Boost were not installed; its link line must name none of them.
set -euo pipefail
build=$1
src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
cmake --install "$build" --prefix "$work/prefix" >/dev/null
export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1

cmake -S "$src/tests/consumer" -B "$work/consumer" -DCMAKE_PREFIX_PATH="$work/prefix" -DCMAKE_BUILD_TYPE=Release \
  >"$work/configure.log" 2>&1 || { cat "$work/configure.log"; fail "configuring consumer_vp"; }
cmake --build "$work/consumer" -j2 >"$work/build.log" 2>&1 || { cat "$work/build.log"; fail "building consumer_vp"; }
(cd "$work/consumer" && SCBNN_DATA_DIR="$work/prefix/share/scbnn" ./consumer_vp --ber 0.02) || fail "consumer_vp"

cmake -S "$src/tests/consumer" -B "$work/tlm" -DCONSUMER_TLM_ONLY=ON -DCMAKE_PREFIX_PATH="$work/prefix" \
  -DCMAKE_BUILD_TYPE=Release -DCMAKE_DISABLE_FIND_PACKAGE_yaml-cpp=ON -DCMAKE_DISABLE_FIND_PACKAGE_ZLIB=ON \
  -DCMAKE_DISABLE_FIND_PACKAGE_Boost=ON >"$work/configure.log" 2>&1 ||
  { cat "$work/configure.log"; fail "configuring consumer_tlm without yaml-cpp, zlib and Boost"; }
cmake --build "$work/tlm" -j2 >"$work/build.log" 2>&1 || { cat "$work/build.log"; fail "building consumer_tlm"; }
link=$(cat "$work/tlm/CMakeFiles/consumer_tlm.dir/link.txt")
for lib in yaml boost libz; do
  case "$link" in *"$lib"*) fail "consumer_tlm links $lib: $link" ;; esac
done
"$work/tlm/consumer_tlm" || fail "consumer_tlm"
echo "PASS"
