package dev.cnnip.verify.compare;

import java.util.List;
import java.util.Optional;

/**
 * A program compared layer by layer with its float model on a set of inputs.
 *
 * @param floatModel    names the float model (its file)
 * @param program       names the program (its file)
 * @param items         inputs compared
 * @param output        the worst graph output by SQNR (the one a target applies to)
 * @param outputs       every graph output
 * @param layers        quantized layer outputs in graph order
 * @param bitExactNote  why {@code bit_exact} is null, or empty when it was compared
 * @param isolatedNote  why the isolated figures are missing, or empty when they were computed
 * @param cost          timing-model cost of one inference
 * @param top1          ISS top-1 accuracy of the first output against labels, or NaN without labels
 * @param floatTop1     the float model's, or NaN
 * @param fix           the fix's before and after, if one was made
 * @param autoPrecision the automatic widening, if one was made
 */
public record CompareReport(String floatModel, String program, int items, OutputView output, List<OutputView> outputs,
                            List<LayerView> layers, String bitExactNote, String isolatedNote, Cost cost, double top1, double floatTop1,
                            Optional<FixReport> fix, Optional<AutoPrecision.Result> autoPrecision) {
    public CompareReport {
        outputs = List.copyOf(outputs);
        layers = List.copyOf(layers);
    }

    /** The layer whose float tensor, program layer or symbol has this name. */
    public Optional<LayerView> layer(String name) {
        return layers.stream().filter(l -> l.name().equals(name) || l.layer().equals(name) || l.symbol().equals(name))
                .findFirst();
    }

    /** Layers diagnosed other than ok. */
    public List<LayerView> flagged() {
        return layers.stream().filter(l -> l.diagnosis() != Diagnosis.OK).toList();
    }

    public CompareReport withFix(FixReport f) {
        return new CompareReport(floatModel, program, items, output, outputs, layers, bitExactNote, isolatedNote, cost, top1, floatTop1,
                Optional.of(f), autoPrecision);
    }

    public CompareReport withAutoPrecision(AutoPrecision.Result a) {
        return new CompareReport(floatModel, program, items, output, outputs, layers, bitExactNote, isolatedNote, cost, top1, floatTop1,
                fix, Optional.of(a));
    }
}
