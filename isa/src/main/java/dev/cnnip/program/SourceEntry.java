package dev.cnnip.program;

/**
 * Where the instructions from index {@code insn} on come from, until the next entry of the source map.
 *
 * @param insn  instruction index, {@code >= 0}
 * @param layer layer index, or -1 for none (e.g. prologue)
 * @param tile  tile index within the layer, or -1 for none
 * @param note  short one-line note such as the ONNX node name; may be empty
 */
public record SourceEntry(int insn, int layer, int tile, String note) {
    public SourceEntry {
        Checks.nonNegative(insn, "source entry insn");
        if (layer < -1) throw new IllegalArgumentException("source entry for insn " + insn + ": layer must be >= -1, got " + layer);
        if (tile < -1) throw new IllegalArgumentException("source entry for insn " + insn + ": tile must be >= -1, got " + tile);
        Checks.line(note, "source entry note for insn " + insn);
    }
}
