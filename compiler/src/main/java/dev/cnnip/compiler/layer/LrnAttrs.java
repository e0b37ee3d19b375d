package dev.cnnip.compiler.layer;

import dev.cnnip.compiler.ir.GraphException;
import dev.cnnip.compiler.ir.Node;

/**
 * Attributes of LRN (local response normalisation across channels): {@code y[c] = x[c] / (bias + alpha /
 * size · Σ x[c']²)^beta} over the {@code size} channels c' centred on c (⌊(size − 1)/2⌋ before, the rest
 * after; channels outside the tensor count as 0). ONNX's defaults: alpha 1e-4, beta 0.75, bias 1; size
 * has none.
 *
 * @param size  channels in the window, odd and {@code >= 1} (ONNX Runtime rejects an even size)
 * @param alpha scaling, {@code > 0}
 * @param beta  exponent, {@code > 0}
 * @param bias  the constant k
 */
public record LrnAttrs(int size, float alpha, float beta, float bias) {
    public static final float DEFAULT_ALPHA = 1e-4f;
    public static final float DEFAULT_BETA = 0.75f;
    public static final float DEFAULT_BIAS = 1f;

    public LrnAttrs {
        if (size < 1 || size % 2 == 0) throw new IllegalArgumentException("LRN size must be odd and at least 1, not " + size);
        if (!(alpha > 0) || !(beta > 0)) throw new IllegalArgumentException("LRN alpha and beta must be positive");
        if (!Float.isFinite(bias)) throw new IllegalArgumentException("LRN bias must be finite");
    }

    /** {@code size} with ONNX's defaults for the rest. */
    public static LrnAttrs ofSize(int size) {
        return new LrnAttrs(size, DEFAULT_ALPHA, DEFAULT_BETA, DEFAULT_BIAS);
    }

    /** {@code alpha / size} in float32, as ONNX Runtime computes it. */
    public float alphaOverSize() {
        return alpha / (float) size;
    }

    /** The attributes of an ONNX LRN node; errors name it. */
    public static LrnAttrs of(Node node) {
        long size = node.attrInt("size", -1);
        if (size == -1) throw new GraphException(node, "LRN needs the attribute size");
        try {
            return new LrnAttrs((int) size, node.attrFloat("alpha", DEFAULT_ALPHA), node.attrFloat("beta", DEFAULT_BETA),
                    node.attrFloat("bias", DEFAULT_BIAS));
        } catch (IllegalArgumentException e) {
            throw new GraphException(node, e.getMessage());
        }
    }
}
