package dev.cnnip.compiler.backend;

import dev.cnnip.isa.ElemType;

/**
 * An element-wise layer over tensors in their physical order: quantize, dequantize, quantized add or a
 * table lookup.
 *
 * @param a       first input
 * @param b       second input (add only), else null
 * @param y       output
 * @param table   DRAM address of the constant table (quant/dequant: per channel {scale f32, zp int32};
 *                lut: 256 output elements), or -1
 * @param tableBytes size of the table
 * @param channels quant/dequant: entries of the table; element i uses entry (i / inner) % channels
 * @param inner   quant/dequant: consecutive elements sharing an entry
 * @param regs    PP register values for the op, set once per layer
 * @param intMode add: integer arithmetic (hw numerics)
 * @param bmod    add/mul: B holds {@code bmod} elements, element i of A pairs with B[i mod bmod] (0: none)
 * @param scalarRecipe add: use ONNX Runtime's scalar-B recipe (for a scalar B, and per-channel B over NCHW data)
 */
record StreamSpec(Kind kind, TensorRef a, TensorRef b, TensorRef y, long table, int tableBytes, int channels, int inner,
                  RegWrites regs, boolean intMode, int bmod, boolean scalarRecipe) {
    enum Kind { QUANTIZE, DEQUANTIZE, ADD, MUL, LUT }

    ElemType at() { return ElemType.of(a.dtype()); }

    ElemType bt() { return b == null ? at() : ElemType.of(b.dtype()); }

    ElemType yt() { return ElemType.of(y.dtype()); }

    /** B is loaded once and reused for every chunk. */
    boolean bScalar() { return b != null && (bmod > 0 || b.elements() == 1 && a.elements() > 1); }

    /** Elements of B held in SRAM when it is loaded once. */
    int bHeld() { return bmod > 0 ? bmod : 1; }
}
