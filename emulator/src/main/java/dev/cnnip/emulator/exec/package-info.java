/**
 * The functional executor: the effect of every instruction on SRAM, DRAM and the engine registers,
 * bit-exact, with the formula of each instruction class in its kernel's Javadoc
 * ({@code DmaOp}, {@code ConvOp},
 * {@code RequantOp}, {@code QuantOp},
 * {@code PoolOp}, {@code AddOp},
 * {@code LutOp}). It never counts cycles; it reports the work done as
 * {@link dev.cnnip.emulator.exec.WorkMetrics}.
 */
package dev.cnnip.emulator.exec;
