/** Trace writers that listen to a running machine: {@link dev.cnnip.emulator.trace.ChromeTrace}. */
package dev.cnnip.emulator.trace;
