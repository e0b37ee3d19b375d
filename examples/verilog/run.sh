#!/bin/sh
# Runs tb_vectors.v under Icarus Verilog on a cnnip vector set exported with --format npy,hex,bin.
# Usage: examples/verilog/run.sh VECTORS_DIR [LAYER_INDEX]   (default layer: 1)
set -eu
dir=${1:?usage: run.sh VECTORS_DIR [LAYER_INDEX]}
idx=$(printf '%03d' "${2:-1}")
here=$(cd "$(dirname "$0")" && pwd)
layer=$(ls -d "$dir"/layers/"$idx"_* | head -n 1)
man="$dir/manifest.json"
count=$(sed -n 's/^  "instruction_count" : \([0-9]*\),$/\1/p' "$man")
# The layer's SRAM window: base and bytes from the manifest's "sram" entry of that layer.
sram=$(awk -v f="${layer#"$dir"/}/sram.hex" '
  index($0, "\"file\" : \"" f "\"") { want = 1; next }
  want && /"base"/  { gsub(/[^0-9]/, ""); base = $0; next }
  want && /"bytes"/ { gsub(/[^0-9]/, ""); print base, $0; exit }' "$man")
set -- $sram
iverilog -g2005 -o "${TMPDIR:-/tmp}/tb_vectors.vvp" "$here/tb_vectors.v"
vvp -n "${TMPDIR:-/tmp}/tb_vectors.vvp" \
  +insn="$dir/program/insn.hex" +insn_bin="$dir/program/insn.bin" +insn_count="$count" \
  +out="$layer/output.hex" +out_bin="$layer/output.bin" +out_count="$(wc -c < "$layer/output.bin")" \
  +sram="$layer/sram.hex" +sram_bin="$layer/sram.bin" +sram_base="$1" +sram_bytes="$2"
