package dev.cnnip.verify.compare;

import dev.cnnip.tensor.ErrorFigures;

/**
 * One graph output of the program (dequantized) against the float model's.
 *
 * @param name    output name
 * @param figures error figures over all items
 */
public record OutputView(String name, ErrorFigures figures) {}
