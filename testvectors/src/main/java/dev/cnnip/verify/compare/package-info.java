/**
 * The quantization debugger: where quantization breaks, why, and what fixes it at what cost.
 *
 * <p>{@link dev.cnnip.verify.compare.QuantCompare#run} compares a program, run on the instruction-set simulator,
 * with its float model in ONNX Runtime over a list of inputs and returns a {@link dev.cnnip.verify.compare.CompareReport}:
 * one {@link dev.cnnip.verify.compare.LayerView} per quantized layer output (accumulated and isolated error figures,
 * ranges, saturation, bit-exactness against ONNX Runtime on the quantized model, diagnosis and recommendation) and
 * the graph outputs. {@link dev.cnnip.verify.compare.QuantCompare#layer} compares one layer (the debugger's
 * {@code compare} command). {@link dev.cnnip.verify.compare.QuantFix} applies the recommendations and
 * {@link dev.cnnip.verify.compare.AutoPrecision} searches 16-bit layers for a target SQNR; both take the
 * re-quantization as a callback, so callers choose the calibration data and quantizer options.
 * {@link dev.cnnip.verify.compare.CompareText}, {@link dev.cnnip.verify.compare.CompareJson} and
 * {@link dev.cnnip.verify.compare.CompareHtml} render a report; none of them computes anything.
 */
package dev.cnnip.verify.compare;
