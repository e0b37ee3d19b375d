package dev.cnnip.emulator.kernel;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * The switch between the scalar kernels and the {@code jdk.incubator.vector} ones. Both give the same
 * bits; the vector kernels are several times faster where the JIT does not vectorise the scalar loop.
 *
 * <p>System property {@code cnnip.vector}: {@code auto} (default) uses the vector kernels when the JVM
 * was started with {@code --add-modules jdk.incubator.vector} (the {@code cnnip} launcher, the tests and
 * the Spark executors are) and has its optimising compiler, C2; {@code off} forces the scalar ones,
 * {@code on} requires the vector ones. Without C2 ({@code -XX:TieredStopAtLevel=1}, which the launcher's
 * {@code CNNIP_JIT=quick} gives, or {@code -Xint}) every Vector API operation runs as its allocating Java
 * fallback, many times slower than the scalar loops that C1 compiles.
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
        return decide(setting, vectorModulePresent(), Kernels::optimisingCompiler);
    }

    /**
     * The kernels for {@code setting}, given whether the vector module is present and (asked only for
     * {@code auto} with the module present) whether the JVM has C2.
     */
    static boolean decide(String setting, boolean modulePresent, java.util.function.BooleanSupplier c2) {
        return switch (setting.toLowerCase(Locale.ROOT)) {
            case "off", "false", "scalar" -> false;
            case "on", "true" -> {
                if (!modulePresent) {
                    throw new IllegalStateException("cnnip.vector=on needs the JVM option --add-modules jdk.incubator.vector");
                }
                yield true;
            }
            default -> modulePresent && c2.getAsBoolean();
        };
    }

    /**
     * Whether this JVM compiles hot code with C2: compilation on, not limited to C1 by
     * {@code -XX:TieredStopAtLevel} (below 4) or {@code -XX:CompilationMode=quick-only}. True when the flags
     * cannot be read (not HotSpot).
     */
    static boolean optimisingCompiler() {
        try {
            HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            if (vm == null) return true;
            return c2Enabled(vm.getVMOption("UseCompiler").getValue(), vm.getVMOption("TieredCompilation").getValue(),
                    vm.getVMOption("TieredStopAtLevel").getValue(), vm.getVMOption("CompilationMode").getValue());
        } catch (RuntimeException | LinkageError e) {
            return true;
        }
    }

    /** {@link #optimisingCompiler} from the values of the HotSpot flags of the same names. */
    static boolean c2Enabled(String useCompiler, String tieredCompilation, String tieredStopAtLevel, String compilationMode) {
        if (!Boolean.parseBoolean(useCompiler)) return false;
        if ("quick-only".equals(compilationMode)) return false;
        return !Boolean.parseBoolean(tieredCompilation) || Integer.parseInt(tieredStopAtLevel) >= 4;
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
