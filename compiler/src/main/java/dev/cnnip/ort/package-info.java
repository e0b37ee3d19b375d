/**
 * ONNX Runtime (CPU, Java binding) in this process, as the float and quantized reference:
 * {@link dev.cnnip.ort.OrtRunner} runs a model on {@code Tensor}s with the session settings of
 * {@link dev.cnnip.ort.OrtOptions}; failures are one-line {@link dev.cnnip.ort.OrtBridgeException}s.
 */
package dev.cnnip.ort;
