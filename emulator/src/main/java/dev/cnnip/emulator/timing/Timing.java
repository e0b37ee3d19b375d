package dev.cnnip.emulator.timing;

/**
 * When one instruction ran in the timing model, in cycles from the start of the program, and why it
 * started no earlier.
 *
 * @param fetch          cycle it was fetched and dispatched to its engine's queue
 * @param start          cycle it started: {@code max(engine free, fetch, consumed tokens, order)}
 * @param end            cycle it completed and signalled ({@code > start} unless its duration is 0)
 * @param busy           nominal duration ({@link CostModel#duration}), without DRAM contention
 * @param stallFetch     cycles its engine was free but the instruction was not yet fetched
 * @param stallSemaphore cycles its engine waited for semaphore tokens after the fetch
 * @param stallOrder     cycles waited for ordering: the previous instruction (serial mode) or the
 *                       other engines to drain ({@code finish})
 * @param stallDram      cycles its DRAM transfer waited for the shared DRAM port
 */
public record Timing(long fetch, long start, long end, long busy, long stallFetch, long stallSemaphore,
                     long stallOrder, long stallDram) {
}
