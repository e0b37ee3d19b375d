package dev.cnnip.verify;

/**
 * One layer compared with ONNX Runtime as it executes the model (see {@link OrtExecutedGraph}), with how
 * ONNX Runtime computed that layer.
 *
 * @param match the comparison (codes for integer tensors)
 * @param ort   where and how ONNX Runtime computed the layer's output: an integer kernel, which the
 *              {@code ort} numerics reproduce bit for bit, or a float QDQ group, matched within 1 LSB
 */
public record OrtLayerMatch(LayerMatch match, OrtExecutedGraph.Probe ort) {
    /** Whether ONNX Runtime computed this layer with an integer kernel. */
    public boolean integerKernel() {
        return ort.kernel() == OrtExecutedGraph.Kernel.INTEGER;
    }

    /** Whether the layer meets its rule: bit-exact for an integer kernel, within 1 LSB for a float group. */
    public boolean agrees() {
        return integerKernel() ? match.exact() : match.within(1);
    }
}
