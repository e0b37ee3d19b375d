package dev.cnnip.emulator.kernel;

import java.util.Locale;

/**
 * The switch between the scalar kernels and the {@code jdk.incubator.vector} ones. Both give the same
 * bits; the vector kernels are several times faster where the JIT does not vectorise the scalar loop.
 *
 * <p>System property {@code cnnip.vector}: {@code auto} (default) uses the vector kernels when the JVM
 * was started with {@code --add-modules jdk.incubator.vector} (the {@code cnnip} launcher, the tests and
 * the Spark executors are), {@code off} forces the scalar ones, {@code on} requires the vector ones.
 */
public final class Kernels {
    private static final boolean VECTOR = decide(System.getProperty("cnnip.vector", "auto"));

    private Kernels() {}

    /** Whether the executors of this JVM use the vector kernels. */
    public static boolean vector() {
        return VECTOR;
    }

    /** Whether the vector module is present in this JVM. */
    public static boolean vectorModulePresent() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    static boolean decide(String setting) {
        return switch (setting.toLowerCase(Locale.ROOT)) {
            case "off", "false", "scalar" -> false;
            case "on", "true" -> {
                if (!vectorModulePresent()) {
                    throw new IllegalStateException("cnnip.vector=on needs the JVM option --add-modules jdk.incubator.vector");
                }
                yield true;
            }
            default -> vectorModulePresent();
        };
    }

    /** A vector convolution kernel; call only when {@link #vector()} (its class needs the module). */
    static ConvKernel.Conv32 newVectorKernel() {
        return new VectorConvKernel();
    }

    /** The depthwise 8-bit SRAM kernel; call only when {@link #vector()}. */
    static VectorDepthwise8 newDepthwise8() {
        return new VectorDepthwise8();
    }

    /** Int lanes per vector of the vector kernels; call only when {@link #vector()}. */
    static int vectorInts() {
        return VectorDepthwise8.L;
    }
}
