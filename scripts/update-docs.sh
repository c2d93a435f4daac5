#!/usr/bin/env bash
# Regenerates the tables in docs/ that come from the code (configuration keys, register
# map, the C register header of driver/). The test suite fails when they drift; run this after
# changing either.
set -euo pipefail
cd "$(dirname "$0")/.."
scbnn=${1:-build/tools/scbnn}

# fill DOC COMMAND...: replace what lies between the markers with COMMAND's output.
fill() {
  local doc=$1
  shift
  local table
  table=$("$scbnn" "$@")
  python3 - "$doc" "$*" "$table" <<'PY'
import sys
doc, cmd, table = sys.argv[1], sys.argv[2], sys.argv[3]
begin = f"<!-- BEGIN GENERATED: scbnn {cmd} -->"
end = "<!-- END GENERATED -->"
text = open(doc).read()
i, j = text.index(begin), text.index(end, text.index(begin))
open(doc, "w").write(text[: i + len(begin)] + "\n" + table + "\n" + text[j:])
PY
}

fill docs/configuration.md config --markdown
fill docs/registers.md registers --markdown
fill docs/registers.md registers -p accel.datapath=mac --markdown
fill docs/power-model.md presets --catalogue
fill docs/power-model.md presets --all
# The firmware driver's register header (driver/), generated from the same register banks.
"$scbnn" registers --c-header >driver/include/scbnn/driver/scbnn_regs.h
