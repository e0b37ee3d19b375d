package dev.cnnip.emulator;

/**
 * How a {@link Machine} runs.
 *
 * @param serial          true: every instruction starts after the previous one in program order has
 *                        retired (a debugging mode; results must equal the overlapped mode's, only
 *                        cycles differ); false: engines overlap as their queues and semaphores allow
 * @param maxInstructions watchdog: a fault when this many instructions have retired and another would run
 * @param maxCycles       watchdog: a fault when an instruction would start after this cycle
 * @param timed           true: the timing model runs beside the executor (cycles, perf report); false:
 *                        functional only, in program order as in serial mode, with no cycles, no perf report
 *                        and no cycle watchdog (the same memory contents, for speed measurements)
 */
public record SimOptions(boolean serial, long maxInstructions, long maxCycles, boolean timed) {
    /** Default instruction limit: 2^32, far beyond any tiled network. */
    public static final long DEFAULT_MAX_INSTRUCTIONS = 1L << 32;
    /** Default cycle limit: 2^50 cycles (about two weeks of simulated time at 1 GHz). */
    public static final long DEFAULT_MAX_CYCLES = 1L << 50;

    public SimOptions {
        if (maxInstructions < 0) throw new IllegalArgumentException("maxInstructions must be >= 0, got " + maxInstructions);
        if (maxCycles < 0) throw new IllegalArgumentException("maxCycles must be >= 0, got " + maxCycles);
    }

    /** Timed options (the usual case). */
    public SimOptions(boolean serial, long maxInstructions, long maxCycles) {
        this(serial, maxInstructions, maxCycles, true);
    }

    /** Overlapped mode with the default watchdogs. */
    public static SimOptions defaults() {
        return new SimOptions(false, DEFAULT_MAX_INSTRUCTIONS, DEFAULT_MAX_CYCLES);
    }

    public SimOptions withSerial(boolean s) {
        return new SimOptions(s, maxInstructions, maxCycles, timed);
    }

    public SimOptions withMaxInstructions(long n) {
        return new SimOptions(serial, n, maxCycles, timed);
    }

    public SimOptions withMaxCycles(long n) {
        return new SimOptions(serial, maxInstructions, n, timed);
    }

    /** Functional only ({@code false}) or with the timing model ({@code true}). */
    public SimOptions withTimed(boolean t) {
        return new SimOptions(serial, maxInstructions, maxCycles, t);
    }
}
