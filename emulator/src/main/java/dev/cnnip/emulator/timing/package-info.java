/**
 * The cycle-approximate timing model ({@link dev.cnnip.emulator.timing.TimingModel}, costs in
 * {@link dev.cnnip.emulator.timing.CostModel}) and the performance report it produces, as data
 * ({@link dev.cnnip.emulator.timing.PerfReport}) with text, JSON and CSV renderers. It never changes
 * machine state.
 */
package dev.cnnip.emulator.timing;
