package dev.cnnip.verify.compare;

import dev.cnnip.tensor.ErrorFigures;

import java.util.List;

/**
 * One quantized layer output compared with the float model, over all items.
 *
 * @param index          program layer index
 * @param name           the float model's name of the layer's output tensor
 * @param layer          the program's layer name
 * @param op             the program's layer op
 * @param symbol         the program symbol holding the codes
 * @param bits           bits of the codes (8 or 16)
 * @param scale          quantization step (real units per code)
 * @param zeroPoint      code of real 0
 * @param calibMin       lowest real value the codes represent, {@code scale·(qmin − zp)} (the calibrated range
 *                       widened to include 0)
 * @param calibMax       highest, {@code scale·(qmax − zp)}
 * @param seenMin        lowest float value on these inputs
 * @param seenMax        highest float value on these inputs
 * @param saturated      share of float values beyond the range by more than half a step (they clip to qmin/qmax)
 * @param calibSaturated share the calibration itself clipped (0 for min/max calibration, or when unknown)
 * @param rangeUse       {@code (seenMax − seenMin) / (calibMax − calibMin)}, capped at 1
 * @param accumulated    figures of the end-to-end ISS run
 * @param isolated       figures of the isolated run (inputs = float values quantized with the inputs' parameters)
 * @param roundingSqnrDb SQNR of the float output quantized with the output's own parameters (direct computation)
 * @param channelSqnrDb  median over channels (axis 1) of that rounding SQNR per channel
 * @param weightSqnrDb   SQNR of the float weights quantized as the program's weights (symmetric per output
 *                       channel), NaN without weights
 * @param weightBits     bits of the weights, 0 without weights
 * @param crest          {@code max |x| / rms(x)} of the float values (large: heavy-tailed or outliers)
 * @param inputSqnrDb    accumulated SQNR of the layer's first compared input ({@code +∞} for the graph input)
 * @param bitExact       ISS codes equal ONNX Runtime's on the quantized model for every item; null: not compared
 * @param diagnosis      ok, calibration or resolution
 * @param reason         why, in words the user can act on (empty when ok)
 * @param overrideName   the name the quantizer's overrides take for this layer, or null when it cannot be widened
 * @param widenActivations layers whose activations should get 16 bits (this layer's recommendation)
 * @param widenWeights   layers whose weights should get 16 bits
 * @param cycles         the layer's cycles in the accumulated run (first item)
 * @param scatter        sampled (float, ISS) pairs
 * @param histogram      float values against the calibrated range
 */
public record LayerView(int index, String name, String layer, String op, String symbol, int bits, float scale,
                        int zeroPoint, double calibMin, double calibMax, double seenMin, double seenMax, double saturated,
                        double calibSaturated, double rangeUse, ErrorFigures accumulated, ErrorFigures isolated,
                        double roundingSqnrDb, double channelSqnrDb, double weightSqnrDb, int weightBits, double crest,
                        double inputSqnrDb, Boolean bitExact, Diagnosis diagnosis, String reason, String overrideName,
                        List<String> widenActivations, List<String> widenWeights, long cycles, Scatter scatter,
                        Histogram histogram) {
    public LayerView {
        widenActivations = List.copyOf(widenActivations);
        widenWeights = List.copyOf(widenWeights);
    }

    LayerView diagnosed(Diagnosis d, String why, List<String> acts, List<String> weights) {
        return new LayerView(index, name, layer, op, symbol, bits, scale, zeroPoint, calibMin, calibMax, seenMin, seenMax,
                saturated, calibSaturated, rangeUse, accumulated, isolated, roundingSqnrDb, channelSqnrDb, weightSqnrDb,
                weightBits, crest, inputSqnrDb, bitExact, d, why, overrideName, acts, weights, cycles, scatter, histogram);
    }
}
