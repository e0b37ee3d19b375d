/**
 * Codecs of the parameter tables instructions read from SRAM: requantization entries
 * ({@code pp.requant}), quantization entries ({@code pp.quant}, {@code pp.dequant}), the softmax
 * exponential table ({@code pp.softmax}) and lookup tables ({@code pp.lut}). The compiler writes them
 * with these codecs and the emulator and the footprint rules size them from the same constants.
 */
package dev.cnnip.isa.table;
