/**
 * Fast-path compute kernels of the functional executor, on plain Java arrays: no per-element
 * allocation, boxing or memory-access call, inner loops shaped so the JIT vectorises them, and the
 * convolution blocked for the cache. The {@code exec} operations check every operand range first and
 * then move whole tiles between SRAM and these arrays with {@link dev.cnnip.emulator.kernel.Tiles}.
 *
 * <p>Every kernel gives the same bits as the formula in its operation's Javadoc: integer sums are
 * two's-complement and wrap, so the order in which a kernel adds its products does not change the result.
 */
package dev.cnnip.emulator.kernel;
