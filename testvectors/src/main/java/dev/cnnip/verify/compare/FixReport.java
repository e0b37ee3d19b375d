package dev.cnnip.verify.compare;

import dev.cnnip.compiler.quant.BitsOverrides;

/**
 * What a fix did and what it bought.
 *
 * @param calibration  the calibration data the program was re-quantized with
 * @param recalibrated whether calibration layers asked for it (the re-quantization always uses that data)
 * @param overrides    the 16-bit layers of the fixed program
 * @param before       the original program's outcome
 * @param after        the fixed program's
 * @param afterReport  the fixed program's comparison
 * @param built        the fixed program and its quantized model
 */
public record FixReport(String calibration, boolean recalibrated, BitsOverrides overrides, Outcome before, Outcome after,
                        CompareReport afterReport, QuantFix.Built built) {
    /**
     * @param outputSqnrDb output SQNR (worst output), dB
     * @param top1         top-1 accuracy against labels, or NaN
     * @param cost         timing-model cost of one inference
     */
    public record Outcome(double outputSqnrDb, double top1, Cost cost) {
        static Outcome of(CompareReport r) {
            return new Outcome(r.output().figures().sqnrDb(), r.top1(), r.cost());
        }
    }
}
