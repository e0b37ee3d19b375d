package dev.cnnip.e2e;

/**
 * How one layer of a simulated program compares with ONNX Runtime on the same layer inputs.
 *
 * @param model         model name
 * @param layer         layer index
 * @param op            layer operator (Conv, MatMul, Add, …)
 * @param tensor        the layer's output tensor
 * @param ortProducer   the node that produces the tensor in ONNX Runtime's optimised graph
 * @param integerKernel whether ONNX Runtime ran an integer kernel (then the simulator must match exactly)
 * @param elements      element count
 * @param mismatches    elements that differ from ONNX Runtime
 * @param maxAbsDiff    largest difference, in codes
 * @param ortDefects    of the mismatches, elements where ONNX Runtime is shown wrong: the independent
 *                      {@link IntegerOracle} agrees with the simulator and not with ONNX Runtime, inside
 *                      the known AMX kernel defect pattern
 */
record LayerVerdict(String model, int layer, String op, String tensor, String ortProducer, boolean integerKernel,
                    long elements, long mismatches, double maxAbsDiff, long ortDefects) {

    /** Mismatches not explained by an ONNX Runtime defect. */
    long unexplained() {
        return mismatches - ortDefects;
    }

    @Override
    public String toString() {
        return String.format("%s layer %d %s '%s' (ORT: %s, %s): %d of %d differ (max %.0f, ORT defects %d)", model, layer,
                op, tensor, ortProducer, integerKernel ? "integer kernel" : "float path", mismatches, elements, maxAbsDiff,
                ortDefects);
    }
}
