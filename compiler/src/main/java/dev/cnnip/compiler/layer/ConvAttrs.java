package dev.cnnip.compiler.layer;

import dev.cnnip.compiler.ir.GraphException;
import dev.cnnip.compiler.ir.Node;

/**
 * Attributes of a quantized 2-D convolution (TVM's {@code Conv2DAttrs} is the model): the sliding window
 * and the group count. The kernel size comes from the weight tensor's shape, as in ONNX.
 *
 * @param window strides, dilations and padding
 * @param group  number of groups, {@code >= 1} (input and output channels divisible by it)
 */
public record ConvAttrs(Window2d window, int group) {
    /** Stride 1, dilation 1, no padding, one group. */
    public static final ConvAttrs DEFAULT = new ConvAttrs(Window2d.DEFAULT, 1);

    public ConvAttrs {
        if (group < 1) throw new IllegalArgumentException("group must be >= 1, not " + group);
    }

    /** The attributes of an ONNX Conv or QLinearConv node, with ONNX's defaults; errors name the node. */
    public static ConvAttrs of(Node node) {
        long group = node.attrInt("group", 1);
        if (group < 1) throw new GraphException(node, "group must be >= 1, not " + group);
        return new ConvAttrs(Window2d.of(node), (int) group);
    }
}
