/**
 * Reading and writing ONNX models: the protobuf schema subset ({@code dev.cnnip.onnx.proto}),
 * model files ({@link dev.cnnip.onnx.OnnxModels}), tensors ({@link dev.cnnip.onnx.TensorProtos}),
 * node attributes ({@link dev.cnnip.onnx.Attributes}) and a builder for models made in code
 * ({@link dev.cnnip.onnx.OnnxBuilder}). Errors are {@link dev.cnnip.onnx.OnnxException}s with one
 * line naming the file, tensor or node at fault.
 */
package dev.cnnip.onnx;
