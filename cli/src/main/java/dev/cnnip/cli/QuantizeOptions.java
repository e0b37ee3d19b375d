package dev.cnnip.cli;

import dev.cnnip.compiler.calib.CalibrationData;
import dev.cnnip.compiler.calib.CalibrationOptions;
import dev.cnnip.compiler.calib.InputSpec;
import dev.cnnip.compiler.calib.Preprocess;
import dev.cnnip.compiler.calib.ProgressReporter;
import dev.cnnip.compiler.prep.Pruner;
import dev.cnnip.compiler.quant.BitsOverrides;
import dev.cnnip.compiler.quant.QdqQuantizer;
import dev.cnnip.hw.HwConfig;
import dev.cnnip.onnx.proto.ModelProto;
import dev.cnnip.tensor.DType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options of post-training quantization, shared by {@code quantize} and {@code compile --calib}. */
final class QuantizeOptions {
    @Option(names = "--calib", paramLabel = "DATA", description = "Calibration data: a folder of images (with --preprocess), "
            + "a .npy batch, TensorProto .pb files; NAME=DATA per input for several inputs.")
    List<String> calib = new ArrayList<>();

    @Option(names = "--preprocess", paramLabel = "SPEC", defaultValue = "",
            description = "How images become tensors, e.g. \"resize=320x320,bgr,mean=0,std=1\" or \"rgb,scale=1/255\".")
    String preprocess;

    @Option(names = "--calib-limit", paramLabel = "N", defaultValue = "0", description = "Use only the first N calibration items.")
    int limit;

    @Option(names = "--method", paramLabel = "minmax|percentile[=P]|entropy", defaultValue = "minmax",
            description = "How ranges are calibrated (default: ${DEFAULT-VALUE}).")
    String method;

    @Option(names = "--per-tensor", description = "One weight scale per tensor instead of per output channel.")
    boolean perTensor;

    @Option(names = "--activations", paramLabel = "uint8|int8", defaultValue = "uint8", description = "8-bit activation type.")
    String activations;

    @Option(names = "--bits", paramLabel = "LAYER=16", description = "16-bit activations and weights for a layer (repeatable).")
    List<String> bits = new ArrayList<>();

    @Option(names = "--bits-file", paramLabel = "FILE.json", description = "Per-layer precision: {\"bits\": {\"conv3\": 16}}.")
    Path bitsFile;

    @Option(names = "--prune", paramLabel = "SPARSITY|LAYER=SPARSITY",
            description = "Magnitude-prune weights before quantization, globally or per layer (repeatable).")
    List<String> prune = new ArrayList<>();

    @Option(names = "--prune-mode", paramLabel = "unstructured|blocks", defaultValue = "unstructured",
            description = "Prune single weights, or whole MAC-array blocks (mac.oc x mac.ic per kernel tap).")
    String pruneMode;

    @Option(names = "--summary", paramLabel = "FILE.json", description = "Write the quantization summary as JSON.")
    Path summary;

    @Option(names = "--input-shape", paramLabel = "NAME=1x3x224x224", description = "Shape of an input with symbolic dimensions.")
    List<String> inputShapes = new ArrayList<>();

    boolean given() {
        return !calib.isEmpty();
    }

    /** The calibration items, read lazily. */
    CalibrationData data(ModelProto model) {
        Map<String, InputSpec> inputs = new LinkedHashMap<>(InputSpec.of(model));
        for (Map.Entry<String, int[]> e : Shapes.parse(inputShapes).entrySet()) {
            InputSpec known = inputs.get(e.getKey());
            if (known == null) throw new IllegalArgumentException("--input-shape: the model has no input '" + e.getKey() + "'");
            inputs.put(e.getKey(), InputSpec.of(e.getKey(), known.dtype(), e.getValue()));
        }
        return CalibrationData.open(calib, inputs, preprocess.isEmpty() ? Preprocess.DEFAULT : Preprocess.parse(preprocess), limit);
    }

    QdqQuantizer.Options options(HwConfig hw) {
        DType act = switch (activations.toLowerCase(Locale.ROOT)) {
            case "uint8", "u8" -> DType.UINT8;
            case "int8", "s8" -> DType.INT8;
            default -> throw new IllegalArgumentException("--activations must be uint8 or int8, not '" + activations + "'");
        };
        BitsOverrides b = BitsOverrides.parseOptions(bits);
        if (bitsFile != null) b = b.plus(BitsOverrides.read(bitsFile));
        return QdqQuantizer.Options.defaults().withActivationType(act).withPerChannelWeights(!perTensor)
                .with16Bit(b.activations16(), b.weights16()).withRanges(CalibrationOptions.parse(method))
                .withPruning(pruneSpec(hw));
    }

    private Pruner.Spec pruneSpec(HwConfig hw) {
        double global = 0;
        Map<String, Double> per = new LinkedHashMap<>();
        for (String p : prune) {
            int eq = p.lastIndexOf('=');
            try {
                if (eq < 0) global = Double.parseDouble(p);
                else per.put(p.substring(0, eq), Double.parseDouble(p.substring(eq + 1)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--prune '" + p + "': expected a sparsity such as 0.5 or LAYER=0.5");
            }
        }
        Pruner.Mode mode = switch (pruneMode.toLowerCase(Locale.ROOT)) {
            case "unstructured" -> Pruner.Mode.UNSTRUCTURED;
            case "blocks" -> Pruner.Mode.BLOCKS;
            default -> throw new IllegalArgumentException("--prune-mode must be unstructured or blocks, not '" + pruneMode + "'");
        };
        return new Pruner.Spec(global, per, mode, (int) hw.macOc(), (int) hw.macIc());
    }

    /** A progress bar on a terminal, nothing otherwise. */
    static ProgressReporter progress() {
        return ProgressReporter.terminal();
    }
}
