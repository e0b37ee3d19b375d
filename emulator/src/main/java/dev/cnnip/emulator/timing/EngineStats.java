package dev.cnnip.emulator.timing;

/**
 * Cycle accounting of one engine over the whole run. Invariants: {@code busy + idle = total cycles},
 * {@code busy + stalls() + free = total cycles}, every figure {@code >= 0}.
 *
 * @param engine         engine label ({@code ctl}, {@code ld}, {@code ex}, {@code pp}, {@code st})
 * @param instructions   instructions it retired
 * @param busy           cycles executing (nominal durations)
 * @param idle           total cycles − busy
 * @param stallSemaphore idle cycles waiting for semaphore tokens
 * @param stallFetch     idle cycles waiting for the next instruction to be fetched (queue/fetch)
 * @param stallDram      cycles DMA transfers waited for the shared DRAM port
 * @param stallOrder     idle cycles waiting for ordering (serial mode, {@code finish} drain)
 * @param free           idle cycles with no cause: after the engine's last instruction ended
 *                       ({@code idle − stalls()})
 */
public record EngineStats(String engine, long instructions, long busy, long idle, long stallSemaphore, long stallFetch,
                          long stallDram, long stallOrder, long free) {
    /** Sum of the stall causes. */
    public long stalls() {
        return stallSemaphore + stallFetch + stallDram + stallOrder;
    }
}
