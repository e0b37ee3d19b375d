/** The machine's memories: the on-chip {@link dev.cnnip.emulator.mem.Sram} and the sparse {@link dev.cnnip.emulator.mem.Dram}. */
package dev.cnnip.emulator.mem;
