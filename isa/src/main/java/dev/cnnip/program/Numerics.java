package dev.cnnip.program;

/** Requantization arithmetic a program was compiled for (DESIGN.md §3); recorded in the program. */
public enum Numerics {
    /** Reproduces ONNX Runtime's CPU kernels bit for bit (float requantization recipes). */
    ORT,
    /** The modelled hardware: integer multiplier and shift; what golden vectors describe. */
    HW
}
