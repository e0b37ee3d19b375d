/**
 * Checks a running machine against the instruction table's footprints: {@link
 * dev.cnnip.emulator.check.FootprintGuard} faults on an access outside the executing instruction's
 * declared footprint, {@link dev.cnnip.emulator.check.RaceChecker} finds pairs of accesses to
 * overlapping ranges, at least one a write, that neither program order nor semaphores order.
 */
package dev.cnnip.emulator.check;
