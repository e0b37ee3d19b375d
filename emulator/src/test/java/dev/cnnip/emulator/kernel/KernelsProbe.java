package dev.cnnip.emulator.kernel;

/** Prints {@code vector=}{@link Kernels#vector()} of the JVM it runs in ({@link KernelsTest}). */
public final class KernelsProbe {
    private KernelsProbe() {}

    public static void main(String[] args) {
        System.out.println("vector=" + Kernels.vector());
    }
}
