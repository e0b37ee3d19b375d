package dev.cnnip.verify.compare;

import java.util.Locale;

/** What a layer's figures say about its quantization. */
public enum Diagnosis {
    /** The layer's own error is small. */
    OK,
    /** The calibrated range does not fit these inputs: values saturate, or use a small part of the range. */
    CALIBRATION,
    /** The range fits, but 8-bit steps are too coarse for a wide or heavy-tailed distribution. */
    RESOLUTION;

    /** The JSON word: {@code ok}, {@code calibration}, {@code resolution}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
