package dev.cnnip.verify.compare;

/**
 * One graph output of the program (dequantized) against the float model's.
 *
 * @param name    output name
 * @param figures error figures over all items
 */
public record OutputView(String name, ErrorFigures figures) {}
