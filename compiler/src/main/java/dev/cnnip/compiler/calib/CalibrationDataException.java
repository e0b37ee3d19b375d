package dev.cnnip.compiler.calib;

/**
 * Bad calibration or input data, or a bad option describing it: a path that does not exist, an empty
 * folder, an image that cannot be decoded, a tensor of the wrong shape or element type, a NaN or
 * infinite value, an unknown preprocessing item. The message is one line and starts with the file (or
 * the option) at fault, e.g. {@code "digits.npy item 3: element 17 (index [0, 0, 0, 17]) is NaN"}.
 *
 * <p>It extends {@link IllegalArgumentException} so that callers that already report bad arguments
 * as one line handle it without change.
 */
public class CalibrationDataException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public CalibrationDataException(String message) {
        super(message);
    }

    public CalibrationDataException(String message, Throwable cause) {
        super(message, cause);
    }
}
