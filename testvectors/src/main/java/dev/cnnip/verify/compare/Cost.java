package dev.cnnip.verify.compare;

/**
 * What one inference of a program costs in the timing model (first item).
 *
 * @param cycles       cycles from the first fetch to {@code finish}
 * @param sramBytes    SRAM bytes read and written by all engines
 * @param dramBytes    DRAM bytes moved by the DMA (loads and stores)
 * @param dramFootprint bytes of DRAM the program addresses (weights, tables and activations)
 */
public record Cost(long cycles, long sramBytes, long dramBytes, long dramFootprint) {}
