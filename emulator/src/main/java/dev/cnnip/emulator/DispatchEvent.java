package dev.cnnip.emulator;

import dev.cnnip.isa.Engine;
import dev.cnnip.isa.Insn;

/**
 * Fetch dispatched instruction {@code pc} to its engine's queue.
 *
 * @param pc     program index
 * @param engine the queue
 * @param insn   the instruction
 * @param fetch  cycle of the fetch in the timing model
 */
public record DispatchEvent(int pc, Engine engine, Insn insn, long fetch) {
}
