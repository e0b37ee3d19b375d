package dev.cnnip.verify.compare;

import dev.cnnip.tensor.ErrorFigures;

import dev.cnnip.tensor.ErrorStats;

import dev.cnnip.compiler.CompileOptions;
import dev.cnnip.compiler.Compiler;
import dev.cnnip.emulator.Machine;
import dev.cnnip.emulator.MachineListener;
import dev.cnnip.emulator.RetireEvent;
import dev.cnnip.emulator.timing.LayerStats;
import dev.cnnip.emulator.timing.PerfReport;
import dev.cnnip.onnx.OnnxModels;
import dev.cnnip.onnx.proto.ModelProto;
import dev.cnnip.program.LayerInfo;
import dev.cnnip.program.Numerics;
import dev.cnnip.program.Program;
import dev.cnnip.program.Symbol;
import dev.cnnip.program.SymbolKind;
import dev.cnnip.tensor.Tensor;
import dev.cnnip.verify.LayerMatch;
import dev.cnnip.verify.OrtReference;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The quantization debugger's engine: compares every quantized layer output of a program, run on the
 * instruction-set simulator, with the float model's value of the same tensor in ONNX Runtime, over a set of
 * inputs; end to end ({@code accumulated}) and layer by layer ({@code isolated}, see {@link IssRuns}); checks
 * the integer codes against ONNX Runtime on the quantized model when it is given; and diagnoses each layer
 * ({@link Diagnoser}). Views are plain records; {@link CompareText}, {@link CompareJson} and
 * {@link CompareHtml} render them.
 */
public final class QuantCompare {
    /** Compute modules whose outputs the quantizer can widen by name. */
    private static final Set<String> WIDENABLE = Set.of("Conv", "Gemm", "MatMul", "Add", "Mul", "GlobalAveragePool",
            "AveragePool", "Sigmoid", "Tanh", "LeakyRelu", "HardSigmoid", "HardSwish", "Relu", "Clip", "Concat");

    private QuantCompare() {}

    /**
     * Options of a comparison.
     *
     * @param quantizedModel the quantized ONNX model the program was compiled from (for {@code bit_exact}); null
     *                       when not known. It must be the program's model (same SHA-256).
     * @param calibClipped   share of calibration values clipped, per float tensor name (from the quantizer's
     *                       summary); missing tensors count 0
     * @param labels         class labels of the items for a top-1 figure, or null
     * @param isolated       whether to make the isolated run (the fix and auto-precision loops skip it)
     * @param scatterPoints  scatter sample size per layer
     * @param thresholds     the diagnosis thresholds
     */
    public record Options(ModelProto quantizedModel, Map<String, Double> calibClipped, int[] labels, boolean isolated,
                          int scatterPoints, Diagnoser.Thresholds thresholds) {
        public Options {
            calibClipped = Map.copyOf(calibClipped);
        }

        public static Options defaults() {
            return new Options(null, Map.of(), null, true, 600, Diagnoser.Thresholds.defaults());
        }

        public Options withQuantizedModel(ModelProto m) {
            return new Options(m, calibClipped, labels, isolated, scatterPoints, thresholds);
        }

        public Options withCalibClipped(Map<String, Double> c) {
            return new Options(quantizedModel, c, labels, isolated, scatterPoints, thresholds);
        }

        public Options withLabels(int[] l) {
            return new Options(quantizedModel, calibClipped, l, isolated, scatterPoints, thresholds);
        }

        public Options withIsolated(boolean on) {
            return new Options(quantizedModel, calibClipped, labels, on, scatterPoints, thresholds);
        }
    }

    /** Compares every layer; see the class comment. Errors name {@code floatName}, {@code programName} and the item. */
    public static CompareReport run(Program program, String programName, ModelProto floatModel, String floatName,
                                    List<Map<String, Tensor>> items, Options opts) {
        if (items.isEmpty()) throw new IllegalArgumentException("no inputs to compare");
        checkItems(program, items);
        String bitNote = bitExactNote(program, programName, opts.quantizedModel());
        ModelProto qModel = bitNote.isEmpty() ? opts.quantizedModel() : null;
        // The isolated run overwrites a layer's inputs in DRAM; a convolution may read its input from SRAM where the
        // previous one left it (SRAM residency), so the isolated run uses the same quantized model compiled with
        // residency off: the same integer arithmetic, every layer loading its inputs from DRAM.
        Program isoProgram = null;
        String isoNote = "";
        if (!opts.isolated()) {
            isoNote = "not computed";
        } else if (opts.quantizedModel() == null) {
            isoNote = "not computed: they need the quantized model (--quantized Q.onnx, or --calib reproducing it)";
        } else {
            Map<String, int[]> shapes = new HashMap<>();
            for (String in : program.inputs()) shapes.put(in, program.symbol(in).orElseThrow().shape());
            isoProgram = Compiler.compile(opts.quantizedModel(), program.modelName(),
                    new CompileOptions(program.hwConfig(), program.numerics(), shapes, Map.of(), false, true));
        }
        if (opts.labels() != null && opts.labels().length != items.size()) {
            throw new IllegalArgumentException(opts.labels().length + " labels for " + items.size() + " inputs");
        }
        try (FloatReference ref = FloatReference.open(floatModel, floatName, program, programName)) {
            List<Tracked> tracked = track(program, ref);
            checkWeights(program, ref, floatName, tracked);
            List<String> wanted = tracked.stream().map(t -> t.symbol.name()).toList();
            Map<String, ErrorStats> outputs = new LinkedHashMap<>();
            for (String o : program.outputs()) outputs.put(o, new ErrorStats());
            int top1 = 0;
            int floatTop1 = 0;
            Cost cost = null;
            PerfReport perf = null;
            for (int i = 0; i < items.size(); i++) {
                Map<String, Tensor> item = items.get(i);
                Map<String, Tensor> floats = ref.run(item);
                long[] sram = new long[1];
                Machine m = IssRuns.accumulated(program, programName, item, new MachineListener() {
                    @Override
                    public void onRetire(RetireEvent e) {
                        sram[0] += e.metrics().sramBytes();
                    }
                });
                if (cost == null) {
                    perf = m.perfReport();
                    cost = new Cost(perf.totalCycles(), sram[0], perf.total().dramBytes(), program.dramSize());
                }
                Map<String, Tensor> iso = isoProgram != null
                        ? IssRuns.isolated(isoProgram, programName, item, s -> ref.floatOf(s).map(floats::get).orElse(null), wanted)
                        : Map.of();
                Map<String, Boolean> exact = new HashMap<>();
                if (qModel != null) {
                    for (LayerMatch lm : OrtReference.compareLayers(qModel, m, item)) exact.put(lm.tensor(), lm.exact());
                }
                for (Tracked t : tracked) {
                    float[] f = floats.get(t.floatName).toFloatArray();
                    float[] acc = IssRuns.dequantize(t.symbol, m.readSymbol(t.symbol.name()));
                    float[] is = iso.containsKey(t.symbol.name()) ? IssRuns.dequantize(t.symbol, iso.get(t.symbol.name())) : null;
                    t.add(f, acc, is, i, items.size(), opts.scatterPoints());
                    Boolean e = exact.get(t.symbol.name());
                    if (qModel != null) t.exact = t.exact == null ? e : (e == null ? t.exact : t.exact && e);
                }
                for (String o : program.outputs()) {
                    float[] f = floats.get(ref.floatOf(o).orElseThrow()).toFloatArray();
                    outputs.get(o).addAll(f, m.readSymbol(o).toFloatArray());
                }
                if (opts.labels() != null) {
                    String o = program.outputs().get(0);
                    if (argmax(m.readSymbol(o).toFloatArray()) == opts.labels()[i]) top1++;
                    if (argmax(floats.get(ref.floatOf(o).orElseThrow()).toFloatArray()) == opts.labels()[i]) floatTop1++;
                }
            }
            List<OutputView> outs = new ArrayList<>();
            outputs.forEach((n, s) -> outs.add(new OutputView(n, s.figures(1))));
            OutputView worst = outs.stream().min((a, b) -> Double.compare(a.figures().sqnrDb(), b.figures().sqnrDb())).orElseThrow();
            Map<String, Double> accBySymbol = new HashMap<>();
            for (Tracked t : tracked) accBySymbol.put(t.symbol.name(), t.acc.sqnrDb());
            // aliases (reshapes and transposes that move no data) read their base tensor's codes
            for (Symbol s : program.symbols()) {
                if (accBySymbol.containsKey(s.name())) continue;
                for (Tracked t : tracked) {
                    if (t.symbol.address() == s.address() && t.symbol.elementCount() == s.elementCount()) {
                        accBySymbol.put(s.name(), t.acc.sqnrDb());
                        break;
                    }
                }
            }
            List<LayerView> views = new ArrayList<>();
            for (Tracked t : tracked) {
                views.add(t.view(program, ref, accBySymbol, opts.calibClipped().getOrDefault(t.floatName, 0.0),
                        cycles(perf, t.layer.index()), isoProgram != null));
            }
            views = Diagnoser.diagnose(views, program, opts.thresholds());
            double n = items.size();
            return new CompareReport(floatName, programName, items.size(), worst, outs, views, bitNote, isoNote, cost,
                    opts.labels() == null ? Double.NaN : top1 / n, opts.labels() == null ? Double.NaN : floatTop1 / n,
                    Optional.empty(), Optional.empty());
        }
    }

    /** Compares one layer (by float tensor, program layer or symbol name); the others are not reported. */
    public static LayerView layer(Program program, String programName, ModelProto floatModel, String floatName,
                                  List<Map<String, Tensor>> items, Options opts, String layerName) {
        CompareReport r = run(program, programName, floatModel, floatName, items, opts);
        return r.layer(layerName).orElseThrow(() -> new IllegalArgumentException(programName + " has no compared layer '"
                + layerName + "'"));
    }

    private static long cycles(PerfReport perf, int layer) {
        if (perf == null) return 0;
        for (LayerStats s : perf.layers()) if (s.index() == layer) return s.cycles();
        return 0;
    }

    /** Every item has every program input, with its dtype and shape. */
    static void checkItems(Program p, List<Map<String, Tensor>> items) {
        for (int i = 0; i < items.size(); i++) {
            for (String in : p.inputs()) {
                Symbol s = p.symbol(in).orElseThrow();
                Tensor t = items.get(i).get(in);
                if (t == null) throw new IllegalArgumentException("input " + i + ": missing tensor '" + in + "'");
                if (t.dtype() != s.dtype() || !Arrays.equals(t.shape(), s.shape())) {
                    throw new IllegalArgumentException("input " + i + ": '" + in + "' is " + t.dtype().shortName()
                            + Arrays.toString(t.shape()) + ", the program takes " + s.dtype().shortName() + Arrays.toString(s.shape()));
                }
            }
        }
    }

    /** Empty when {@code q} is the program's model and the numerics are ONNX Runtime's, else why not. */
    static String bitExactNote(Program p, String programName, ModelProto q) {
        if (p.numerics() != Numerics.ORT) return "the program uses hw numerics, which are not bit-exact with ONNX Runtime by design";
        if (q == null) return "not compared: give the quantized model (--quantized Q.onnx) or the calibration data it was made with (--calib)";
        if (!p.modelSha256().isEmpty() && !p.modelSha256().equals(sha256(OnnxModels.toBytes(q)))) {
            throw new IllegalArgumentException("the quantized model is not the one " + programName + " was compiled from "
                    + "(SHA-256 differs)");
        }
        return "";
    }

    /** Whether {@code q} is the quantized model {@code p} was compiled from (the program records its SHA-256). */
    public static boolean isProgramModel(Program p, ModelProto q) {
        return !p.modelSha256().isEmpty() && p.modelSha256().equals(sha256(OnnxModels.toBytes(q)));
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The layers compared: each layer's first quantized output with a float tensor. */
    private static List<Tracked> track(Program p, FloatReference ref) {
        List<Tracked> out = new ArrayList<>();
        for (LayerInfo l : p.layers()) {
            for (String o : l.outputs()) {
                Symbol s = p.symbol(o).orElseThrow();
                if (!s.isQuantized() || s.kind() == SymbolKind.OUTPUT) continue;
                Optional<String> f = ref.floatOf(o);
                if (f.isEmpty()) continue;
                out.add(new Tracked(l, s, f.get()));
                break;
            }
        }
        return out;
    }

    /**
     * A float model with the program's graph but other weights passes the name and shape checks; the weights
     * tell: each convolution's integer weights must point the float weights' way (cosine near 1, whatever
     * the scales).
     */
    private static void checkWeights(Program p, FloatReference ref, String floatName, List<Tracked> tracked) {
        for (Tracked t : tracked) {
            Optional<Symbol> ws = p.symbol(t.symbol.name() + ".weights");
            if (ws.isEmpty()) continue;
            for (String node : t.layer.nodes()) {
                Optional<Tensor> w = ref.weights(node);
                if (w.isEmpty() || w.get().size() != ws.get().elementCount() || !Arrays.equals(w.get().shape(), ws.get().shape())) {
                    continue;
                }
                Tensor codes = weightCodes(p, ws.get());
                if (codes == null) continue;
                // per output channel: the program scales each channel on its own
                int oc = codes.shape()[0];
                int per = codes.size() / oc;
                double[] cos = new double[oc];
                for (int o = 0; o < oc; o++) {
                    ErrorStats s = new ErrorStats();
                    for (int i = o * per; i < (o + 1) * per; i++) s.add(w.get().getFloat(i), codes.getDouble(i));
                    cos[o] = s.cosine();
                }
                Arrays.sort(cos);
                double median = cos[oc / 2];
                if (median < 0.9) {
                    throw new IllegalArgumentException(floatName + ": the weights of node '" + node + "' do not match layer '"
                            + t.layer.name() + "' of the program (" + String.format(java.util.Locale.ROOT, "median per-channel cosine %.2f", median)
                            + "): the float model does not match the program");
                }
            }
        }
    }

    /** A weight symbol's codes in logical OIHW order (the program stores them OHWI, input channels maybe padded). */
    private static Tensor weightCodes(Program p, Symbol ws) {
        int[] l = ws.shape();
        int[] ph = ws.physicalShape();
        if (!ws.layout().equals("OHWI") || l.length != 4 || ph.length != 4) return null;
        int esz = ws.dtype().size();
        Tensor phys = new Tensor(ws.dtype(), ph, new Machine(p).state().dram().read(ws.address(),
                Math.toIntExact(Tensor.numElements(ph) * esz)));
        // Gemm weights [n, 1, 1, k] are declared OHWI but stored in logical order
        if (Arrays.equals(l, ph) && l[1] == 1 && l[2] == 1) return phys;
        Tensor out = Tensor.zeros(ws.dtype(), l);
        int k = 0;
        for (int o = 0; o < l[0]; o++) {
            for (int i = 0; i < l[1]; i++) {
                for (int h = 0; h < l[2]; h++) {
                    for (int w = 0; w < l[3]; w++) out.setLong(k++, phys.getLong(((o * ph[1] + h) * ph[2] + w) * ph[3] + i));
                }
            }
        }
        return out;
    }

    static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
        return best;
    }

    /** Per-layer accumulators. */
    private static final class Tracked {
        final LayerInfo layer;
        final Symbol symbol;
        final String floatName;
        final ErrorStats acc = new ErrorStats();
        final ErrorStats iso = new ErrorStats();
        final ErrorStats rounding = new ErrorStats();
        final ErrorStats[] channels;
        final Histogram.Builder hist;
        final float scale;
        final int zp;
        final double lo;
        final double hi;
        long saturated;
        long count;
        double maxAbs;
        Boolean exact;
        final List<float[]> sampleRef = new ArrayList<>();
        final List<float[]> sampleAcc = new ArrayList<>();

        Tracked(LayerInfo layer, Symbol symbol, String floatName) {
            this.layer = layer;
            this.symbol = symbol;
            this.floatName = floatName;
            this.scale = symbol.scale()[0];
            this.zp = symbol.zeroPoint().length == 0 ? 0 : symbol.zeroPoint()[0];
            this.lo = (double) scale * (symbol.dtype().min() - zp);
            this.hi = (double) scale * (symbol.dtype().max() - zp);
            int[] shape = symbol.shape();
            this.channels = new ErrorStats[shape.length >= 2 ? shape[1] : 1];
            for (int c = 0; c < channels.length; c++) channels[c] = new ErrorStats();
            this.hist = new Histogram.Builder(lo, hi, 60);
        }

        void add(float[] f, float[] acc, float[] iso, int item, int items, int points) {
            this.acc.addAll(f, acc);
            if (iso != null) this.iso.addAll(f, iso);
            int[] shape = symbol.shape();
            int inner = 1;
            for (int i = 2; i < shape.length; i++) inner *= shape[i];
            int qmin = (int) symbol.dtype().min();
            int qmax = (int) symbol.dtype().max();
            for (int i = 0; i < f.length; i++) {
                float r = dev.cnnip.numerics.Quantize.dequantize(
                        dev.cnnip.numerics.Quantize.quantize(f[i], scale, zp, qmin, qmax), zp, scale);
                rounding.add(f[i], r);
                channels[channels.length == 1 ? 0 : (i / inner) % channels.length].add(f[i], r);
                hist.add(f[i]);
                maxAbs = Math.max(maxAbs, Math.abs(f[i]));
            }
            saturated += saturated(f, lo, hi, scale);
            count += f.length;
            int perItem = Math.max(1, points / items);
            int stride = Math.max(1, f.length / perItem);
            int n = Math.min(perItem, (f.length + stride - 1) / stride);
            float[] sr = new float[n];
            float[] sa = new float[n];
            for (int k = 0; k < n; k++) {
                sr[k] = f[k * stride];
                sa[k] = acc[k * stride];
            }
            sampleRef.add(sr);
            sampleAcc.add(sa);
        }

        LayerView view(Program p, FloatReference ref, Map<String, Double> accBySymbol, double calibClipped, long cycles,
                       boolean isolated) {
            double[] chan = Arrays.stream(channels).filter(c -> c.refRms() > 0).mapToDouble(ErrorStats::sqnrDb).sorted().toArray();
            double median = chan.length == 0 ? Double.POSITIVE_INFINITY : chan[chan.length / 2];
            double weightSqnr = Double.NaN;
            int weightBits = 0;
            Optional<Symbol> ws = p.symbol(symbol.name() + ".weights");
            String override = null;
            for (String node : layer.nodes()) {
                Optional<dev.cnnip.compiler.ir.Node> n = ref.node(node);
                if (n.isEmpty() || !WIDENABLE.contains(n.get().opType())) continue;
                if (override == null) override = n.get().name();
                Optional<Tensor> w = ref.weights(node);
                if (w.isPresent() && Double.isNaN(weightSqnr)) {
                    weightBits = ws.map(s -> s.dtype().size() * 8).orElse(8);
                    weightSqnr = weightSqnr(w.get(), n.get(), weightBits);
                }
            }
            double inSqnr = Double.POSITIVE_INFINITY;
            for (String in : layer.inputs()) {
                Double s = accBySymbol.get(in);
                if (s != null) {
                    inSqnr = s;
                    break;
                }
            }
            int total = sampleRef.stream().mapToInt(a -> a.length).sum();
            float[] r = new float[total];
            float[] a = new float[total];
            int k = 0;
            for (int j = 0; j < sampleRef.size(); j++) {
                System.arraycopy(sampleRef.get(j), 0, r, k, sampleRef.get(j).length);
                System.arraycopy(sampleAcc.get(j), 0, a, k, sampleAcc.get(j).length);
                k += sampleRef.get(j).length;
            }
            double rms = acc.refRms();
            double span = hi - lo;
            double use = span <= 0 ? 1 : Math.min(1, (Math.max(acc.refMax(), 0) - Math.min(acc.refMin(), 0)) / span);
            return new LayerView(layer.index(), floatName, layer.name(), layer.op(), symbol.name(), symbol.dtype().size() * 8,
                    scale, zp, lo, hi, acc.refMin(), acc.refMax(), count == 0 ? 0 : (double) saturated / count, calibClipped,
                    use, acc.figures(scale), isolated ? iso.figures(scale) : ErrorFigures.NONE, rounding.sqnrDb(), median,
                    weightSqnr, weightBits, rms == 0 ? 0 : maxAbs / rms, inSqnr, exact, Diagnosis.OK, "", override,
                    List.of(), List.of(), cycles, new Scatter(r, a), hist.build());
        }
    }

    /**
     * Float values that saturate: beyond the representable range {@code [lo, hi]} by more than half a step
     * ({@code scale / 2}), so QuantizeLinear clips them to qmin or qmax.
     */
    public static long saturated(float[] f, double lo, double hi, double scale) {
        double half = scale / 2.0;
        long n = 0;
        for (float v : f) if (v < lo - half || v > hi + half) n++;
        return n;
    }

    /** SQNR of weights quantized symmetric per output channel at {@code bits}, as the quantizer does. */
    static double weightSqnr(Tensor w, dev.cnnip.compiler.ir.Node n, int bits) {
        int[] ws = w.shape();
        int axis = n.opType().equals("Conv") ? 0 : (n.opType().equals("Gemm") && n.attrInt("transB", 0) != 0 ? 0 : 1);
        if (ws.length < 2) axis = 0;
        int channels = ws[axis];
        int inner = 1;
        for (int i = axis + 1; i < ws.length; i++) inner *= ws[i];
        float[] absmax = new float[channels];
        for (int i = 0; i < w.size(); i++) {
            int c = (i / inner) % channels;
            absmax[c] = Math.max(absmax[c], Math.abs(w.getFloat(i)));
        }
        int qmax = (1 << (bits - 1)) - 1;
        ErrorStats s = new ErrorStats();
        for (int i = 0; i < w.size(); i++) {
            int c = (i / inner) % channels;
            float scale = (float) ((double) (2 * absmax[c]) / (2.0 * qmax));
            if (!(scale > 0)) {
                s.add(w.getFloat(i), 0);
                continue;
            }
            long q = Math.max(-qmax, Math.min(qmax, (long) Math.rint(w.getFloat(i) / scale)));
            s.add(w.getFloat(i), q * scale);
        }
        return s.sqnrDb();
    }
}
