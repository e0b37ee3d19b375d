package dev.cnnip.emulator;

/**
 * How a {@link Machine} runs.
 *
 * @param serial          true: every instruction starts after the previous one in program order has
 *                        retired (a debugging mode; results must equal the overlapped mode's, only
 *                        cycles differ); false: engines overlap as their queues and semaphores allow
 * @param maxInstructions watchdog: a fault when this many instructions have retired and another would run
 * @param maxCycles       watchdog: a fault when an instruction would start after this cycle
 * @param checkRaces      true: track every instruction's footprint with happens-before from program order
 *                        and semaphores, and stop with a {@link MachineFault.Kind#RACE} fault at the first
 *                        pair of unordered conflicting accesses ({@code cnnip run --check-races})
 */
public record SimOptions(boolean serial, long maxInstructions, long maxCycles, boolean checkRaces) {
    /** Default instruction limit: 2^32, far beyond any tiled network. */
    public static final long DEFAULT_MAX_INSTRUCTIONS = 1L << 32;
    /** Default cycle limit: 2^50 cycles (about two weeks of simulated time at 1 GHz). */
    public static final long DEFAULT_MAX_CYCLES = 1L << 50;

    public SimOptions {
        if (maxInstructions < 0) throw new IllegalArgumentException("maxInstructions must be >= 0, got " + maxInstructions);
        if (maxCycles < 0) throw new IllegalArgumentException("maxCycles must be >= 0, got " + maxCycles);
    }

    /**
     * The system property that turns race checking on in {@link #defaults()}; the build sets it for the
     * test suite, so that every program any test runs is checked.
     */
    public static final String CHECK_RACES_PROPERTY = "cnnip.checkRaces";

    /**
     * Overlapped mode with the default watchdogs; race checking off unless the system property
     * {@value #CHECK_RACES_PROPERTY} is {@code true}.
     */
    public static SimOptions defaults() {
        return new SimOptions(false, DEFAULT_MAX_INSTRUCTIONS, DEFAULT_MAX_CYCLES, Boolean.getBoolean(CHECK_RACES_PROPERTY));
    }

    public SimOptions withSerial(boolean s) {
        return new SimOptions(s, maxInstructions, maxCycles, checkRaces);
    }

    public SimOptions withMaxInstructions(long n) {
        return new SimOptions(serial, n, maxCycles, checkRaces);
    }

    public SimOptions withMaxCycles(long n) {
        return new SimOptions(serial, maxInstructions, n, checkRaces);
    }

    public SimOptions withCheckRaces(boolean c) {
        return new SimOptions(serial, maxInstructions, maxCycles, c);
    }
}
