package dev.cnnip.verify.compare;

/**
 * A deterministic sample of (float reference, dequantized ISS) pairs of one tensor, for the scatter plot:
 * every {@code stride}-th element of every item, up to the sample size.
 *
 * @param reference float model values
 * @param tested    dequantized values of the accumulated ISS run, same length
 */
public record Scatter(float[] reference, float[] tested) {
    public Scatter {
        reference = reference.clone();
        tested = tested.clone();
        if (reference.length != tested.length) throw new IllegalArgumentException("unequal scatter lengths");
    }

    @Override
    public float[] reference() {
        return reference.clone();
    }

    @Override
    public float[] tested() {
        return tested.clone();
    }

    public int size() {
        return reference.length;
    }
}
