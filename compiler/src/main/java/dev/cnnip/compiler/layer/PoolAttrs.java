package dev.cnnip.compiler.layer;

import dev.cnnip.compiler.ir.GraphException;
import dev.cnnip.compiler.ir.Node;

/**
 * Attributes of a 2-D pooling layer: kernel, sliding window, ceil mode and (average pooling) whether
 * padded taps count in the divisor. ONNX's defaults: floor mode, padded taps excluded.
 *
 * @param kh              kernel height, {@code >= 1}
 * @param kw              kernel width, {@code >= 1}
 * @param window          strides, dilations and padding
 * @param ceilMode        output size rounded up (ONNX {@code ceil_mode = 1})
 * @param countIncludePad average pooling divides by every tap, padding included
 */
public record PoolAttrs(int kh, int kw, Window2d window, boolean ceilMode, boolean countIncludePad) {
    public PoolAttrs {
        if (kh < 1 || kw < 1) throw new IllegalArgumentException("kernel must be at least 1x1, not " + kh + "x" + kw);
    }

    /** A {@code kh × kw} kernel with ONNX's defaults for the rest. */
    public static PoolAttrs kernel(int kh, int kw) {
        return new PoolAttrs(kh, kw, Window2d.DEFAULT, false, false);
    }

    /** The attributes of an ONNX MaxPool or AveragePool node ({@code what}: "max" or "average"); errors name it. */
    public static PoolAttrs of(Node node, String what) {
        long[] k = node.attrInts("kernel_shape", null);
        if (k == null || k.length != 2) throw new GraphException(node, "only 2-D " + what + " pooling is supported");
        if (k[0] < 1 || k[1] < 1) throw new GraphException(node, "kernel_shape must be positive");
        return new PoolAttrs((int) k[0], (int) k[1], Window2d.of(node), node.attrInt("ceil_mode", 0) != 0,
                node.attrInt("count_include_pad", 0) != 0);
    }
}
