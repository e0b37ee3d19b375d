package dev.cnnip.emulator;

/**
 * A {@code layer.begin} or {@code layer.end} marker retired.
 *
 * @param layer layer index (the marker's id)
 * @param name  the layer's name from the program, or empty when the program does not list it
 * @param pc    program index of the marker
 * @param cycle cycle the marker ended
 */
public record LayerEvent(int layer, String name, int pc, long cycle) {
}
