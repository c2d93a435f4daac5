#!/usr/bin/env bash
# Installs the Debian packages scbnn needs and the machine lacks.
#   scripts/deps.sh            build and run (SystemC, yaml-cpp, Fashion-MNIST, ...)
#   scripts/deps.sh --trainer  also libtorch, for `scbnn train` and its test
#   scripts/deps.sh --sweeps   also gnuplot (scbnn plot), GNU parallel, Slurm and munge (the sweep tests)
#   scripts/deps.sh --tests    also the Boost libraries the package-consumer test's platform uses, and
#                              python3-jsonschema (the JSON Schema test), headless Chromium, its
#                              WebDriver, Selenium and PIL (the HTML report's browser test)
#   scripts/deps.sh --fuzz     also clang and its libFuzzer runtime (scripts/fuzz.sh)
#   scripts/deps.sh --lint     also clang-format and clang-tidy (scripts/lint.sh)
set -euo pipefail
packages=(build-essential cmake pkg-config python3 libsystemc-dev libboost-program-options-dev libgtest-dev
          libyaml-cpp-dev nlohmann-json3-dev zlib1g-dev libssl-dev dataset-fashion-mnist)
for option in "$@"; do
  case "$option" in
    --trainer) packages+=(libtorch-dev libopenblas0) ;;
    --sweeps) packages+=(gnuplot-nox parallel slurm-wlm munge) ;;
    --tests) packages+=(libboost-iostreams-dev libboost-log-dev python3-jsonschema chromium chromium-driver
                       python3-selenium python3-pil fonts-dejavu-core) ;;
    --fuzz) packages+=(clang libclang-rt-14-dev) ;;
    --lint) packages+=(clang-format clang-tidy) ;;
    *) echo "scripts/deps.sh: unknown option $option" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -ne 0 ] && sudo=sudo
echo "installing: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
