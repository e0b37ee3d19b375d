package dev.cnnip.e2e;

import dev.cnnip.tensor.DType;

/**
 * An integer activation of a generated model, with its quantization and what the generator expects of
 * its codes, used to choose the next layer's output scale so that outputs spread over the code range.
 *
 * @param name  tensor name
 * @param dtype UINT8 or INT8
 * @param shape logical shape
 * @param scale quantization scale
 * @param zp    zero point
 * @param rms   expected root mean square of {@code q − zp}, in codes
 * @param dc    expected root mean square over channels of the per-channel mean of {@code q − zp}
 *              (the part that spatial averaging keeps), in codes, at most {@code rms}
 */
record QTensor(String name, DType dtype, int[] shape, float scale, int zp, double rms, double dc) {
    QTensor {
        shape = shape.clone();
        dc = Math.min(dc, rms);
    }

    int dim(int axis) {
        return shape[axis < 0 ? axis + shape.length : axis];
    }

    long elements() {
        long n = 1;
        for (int d : shape) n *= d;
        return n;
    }

    int qmin() {
        return (int) dtype.min();
    }

    int qmax() {
        return (int) dtype.max();
    }
}
