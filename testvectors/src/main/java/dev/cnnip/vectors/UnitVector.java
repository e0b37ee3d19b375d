package dev.cnnip.vectors;

import dev.cnnip.isa.Opcode;

/**
 * One per-instruction unit vector before it runs: a tiny program around the instruction under test.
 *
 * @param opcode the instruction under test
 * @param kind   {@code directed} or {@code random-NN}
 * @param seed   the random generator's seed (0 for directed vectors)
 * @param dram   the input DRAM image (its first {@link InstructionVectors#WINDOW} bytes are loaded into SRAM)
 * @param body   assembly lines between the prologue (SRAM window load, signals s0) and the epilogue
 *               (window store, waits for s1); the instruction under test waits for s0 and signals s1
 * @param what   one line saying what the vector exercises
 */
record UnitVector(Opcode opcode, String kind, long seed, byte[] dram, String body, String what) {
}
