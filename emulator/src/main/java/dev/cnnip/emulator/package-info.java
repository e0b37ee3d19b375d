/**
 * The instruction-set simulator: runs a compiled {@link dev.cnnip.program.Program} like the hardware,
 * bit-accurately and cycle-approximately. It depends only on the isa module.
 *
 * <p>Structure (values and time are kept apart, both fed by one event stream):
 * <ul>
 * <li>{@link dev.cnnip.emulator.Machine}: fetch, per-engine queues, semaphores, serial/overlapped
 * scheduling, faults, listeners and host I/O; {@link dev.cnnip.emulator.MachineState} is its inspectable
 * state; {@link dev.cnnip.emulator.Simulator} runs a program in one call.</li>
 * <li>{@code exec}: the functional executor, one pure kernel per instruction class.</li>
 * <li>{@code timing}: the discrete-event timing model, closed-form costs and the performance report.</li>
 * <li>{@code mem}: SRAM and the sparse DRAM.</li>
 * <li>{@code trace}: Chrome/Perfetto trace output.</li>
 * </ul>
 */
package dev.cnnip.emulator;
