package dev.cnnip.emulator;

import dev.cnnip.emulator.exec.WorkMetrics;
import dev.cnnip.isa.Engine;
import dev.cnnip.isa.Insn;

/**
 * An instruction executed and retired: its effect is visible in the machine state.
 *
 * @param seq     retirement order, from 0 (the functional order)
 * @param pc      program index
 * @param engine  its engine
 * @param insn    the instruction
 * @param metrics the work it did
 * @param fetch   cycle it was fetched
 * @param start   cycle it started in the timing model
 * @param end     cycle it ended (and signalled)
 * @param layer   its layer from the program's source map, or −1
 */
public record RetireEvent(long seq, int pc, Engine engine, Insn insn, WorkMetrics metrics, long fetch, long start,
                          long end, int layer) {
}
