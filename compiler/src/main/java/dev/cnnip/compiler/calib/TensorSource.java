package dev.cnnip.compiler.calib;

import dev.cnnip.tensor.Tensor;

/** The calibration tensors of one model input, loaded (and checked) one at a time, on demand. */
interface TensorSource {
    /** Number of items. */
    int size();

    /** Item {@code i}, checked against the input; errors are {@link CalibrationDataException}s naming {@link #where}. */
    Tensor load(int i);

    /** Where item {@code i} comes from, for messages: a file, or a file and an item number. */
    String where(int i);
}
