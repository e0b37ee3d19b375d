/**
 * Calibration data and calibration statistics for post-training quantization.
 *
 * <p><b>Data.</b> {@link dev.cnnip.compiler.calib.CalibrationData} opens what the user gives as
 * {@code --calib}: a folder of images (with a {@link dev.cnnip.compiler.calib.Preprocess} spec), a
 * {@code .npy} batch, {@code .pb} TensorProto files or ONNX test-style {@code test_data_set_*} folders,
 * and presents it as a list of model feeds that loads one item at a time.
 * {@link dev.cnnip.compiler.calib.ImageTensors} turns one image into an input tensor with the same spec.
 * Every problem is one {@link dev.cnnip.compiler.calib.CalibrationDataException} naming the file.
 *
 * <p><b>Statistics.</b> A {@link dev.cnnip.compiler.calib.RangeCollector} per observed tensor turns the
 * values seen over the calibration set into a {@link dev.cnnip.compiler.calib.TensorRange} with one of
 * the {@link dev.cnnip.compiler.calib.CalibrationMethod}s (min/max, percentile, entropy), the latter two
 * from a {@link dev.cnnip.compiler.calib.Histogram}. Running the model is the job of
 * {@code dev.cnnip.compiler.quant.Calibrator}; nothing here runs ONNX Runtime or writes files.
 */
package dev.cnnip.compiler.calib;
