package dev.cnnip.vectors;

import java.util.List;

/**
 * What one layer's vectors hold: its tensors and an SRAM window at its end.
 *
 * @param index    layer index in the program
 * @param name     layer name
 * @param op       layer operation
 * @param tensors  inputs (at {@code layer.begin}), weights, bias, accumulators and outputs (at {@code layer.end})
 * @param sramBase first SRAM byte of {@code sram}, a multiple of 4
 * @param sram     SRAM contents when {@code layer.end} retired, from the lowest to the highest byte that
 *                 changed between the layer's first instruction and its end (rounded out to 32-bit
 *                 words); empty when nothing changed
 * @param notes    why something is missing (e.g. accumulators only partly traced), may be empty
 */
public record LayerVectors(int index, String name, String op, List<CapturedTensor> tensors, long sramBase, byte[] sram,
                           List<String> notes) {
    public LayerVectors {
        tensors = List.copyOf(tensors);
        notes = List.copyOf(notes);
    }
}
