package dev.cnnip.verify;

import dev.cnnip.emulator.LayerEvent;
import dev.cnnip.emulator.Machine;
import dev.cnnip.emulator.MachineListener;
import dev.cnnip.emulator.RetireEvent;
import dev.cnnip.emulator.SimOptions;
import dev.cnnip.onnx.OnnxModels;
import dev.cnnip.onnx.proto.ModelProto;
import dev.cnnip.ort.OrtOptions;
import dev.cnnip.ort.OrtRunner;
import dev.cnnip.program.LayerInfo;
import dev.cnnip.program.Program;
import dev.cnnip.program.Symbol;
import dev.cnnip.program.SymbolKind;
import dev.cnnip.tensor.Tensor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compares every layer output of a simulated program with ONNX Runtime running the same quantized
 * model, with DESIGN section 3's reference options (EXTENDED optimisation, {@code session.x64quantprecision=1},
 * one thread).
 *
 * <p>The reference values come from the graph ONNX Runtime executes for the unprobed model
 * ({@link OrtExecutedGraph}), because exposing a tensor as a graph output can change what ONNX Runtime runs:
 * with int8 activations its s8→u8 conversion skips a Q whose output is a graph output, and x86 fuses no
 * int8-activation group, so a probed int8 model would be compared with float computations ONNX Runtime does
 * not run for the model itself. Only tensors the executed graph does not hold (folded away) are read by
 * exposing them on the model as extra outputs.
 */
public final class OrtReference {
    private OrtReference() {}

    /**
     * Compares every layer output the model names with ONNX Runtime's value for the unprobed model (see the
     * class comment; tensors the executed graph folded away are read by probing the model).
     *
     * @param model   the quantized ONNX model the program was compiled from
     * @param machine a machine that has run the program to its end on {@code inputs}
     */
    public static List<LayerMatch> compareLayers(ModelProto model, Machine machine, Map<String, Tensor> inputs) {
        Program p = machine.program();
        Set<String> known = tensorNames(model);
        Set<String> wanted = new LinkedHashSet<>();
        for (LayerInfo l : p.layers()) {
            for (String out : l.outputs()) if (known.contains(out)) wanted.add(out);
        }
        Map<String, Tensor> ref = new HashMap<>(OrtExecutedGraph.of(model, OrtOptions.defaults()).run(inputs, wanted));
        List<String> missing = wanted.stream().filter(n -> !ref.containsKey(n)).toList();
        if (!missing.isEmpty()) {
            List<String> graphOutputs = model.getGraph().getOutputList().stream().map(v -> v.getName()).toList();
            List<String> extra = missing.stream().filter(n -> !graphOutputs.contains(n)).toList();
            ModelProto probe = OnnxModels.withExtraOutputs(model, extra);
            try (OrtRunner ort = OrtRunner.create(probe, OrtOptions.defaults())) {
                ref.putAll(ort.run(inputs, missing));
            }
        }
        List<LayerMatch> out = new ArrayList<>();
        for (LayerInfo l : p.layers()) {
            for (String t : l.outputs()) {
                if (!ref.containsKey(t)) continue;
                out.add(compare(l, t, machine.readSymbol(t), ref.get(t), p.symbol(t).orElseThrow()));
            }
        }
        return out;
    }

    /**
     * Compares every layer output with ONNX Runtime as it executes the unprobed model: the values come from
     * the graph ONNX Runtime optimised for the model (reference options), probed there
     * ({@link OrtExecutedGraph}), so exposing them cannot change which QDQ groups ONNX Runtime fuses. Unlike
     * {@link #compareLayers}, it also says which kernel ONNX Runtime ran (integer or float group), and layers
     * whose output the executed graph does not hold are left out.
     *
     * @param model   the quantized ONNX model the program was compiled from
     * @param machine a machine that has run the program to its end on {@code inputs}
     */
    public static List<OrtLayerMatch> compareLayersAsExecuted(ModelProto model, Machine machine, Map<String, Tensor> inputs) {
        Program p = machine.program();
        OrtExecutedGraph g = OrtExecutedGraph.of(model, OrtOptions.defaults());
        Set<String> wanted = new LinkedHashSet<>();
        for (LayerInfo l : p.layers()) wanted.addAll(l.outputs());
        Map<String, Tensor> ref = g.run(inputs, wanted);
        List<OrtLayerMatch> out = new ArrayList<>();
        for (LayerInfo l : p.layers()) {
            for (String t : l.outputs()) {
                if (!ref.containsKey(t)) continue;
                LayerMatch m = compare(l, t, machine.readSymbol(t), ref.get(t), p.symbol(t).orElseThrow());
                out.add(new OrtLayerMatch(m, g.probe(t).orElseThrow()));
            }
        }
        return out;
    }

    /**
     * Compares every layer with ONNX Runtime as it executes the model, each layer on ONNX Runtime's own
     * values of its inputs, so that no layer inherits a difference from the layers before it (a float group
     * may differ by 1 LSB, which would otherwise spread into the layers after it). Serial mode; at each
     * {@code layer.begin} the host overwrites the layer's inputs with ONNX Runtime's codes (between steps)
     * and reads its outputs at its {@code layer.end}.
     *
     * @param program a program compiled with SRAM residency off (a layer may otherwise read its input from
     *                SRAM, which the host write does not reach)
     * @throws IllegalArgumentException if a tensor of the program lives in SRAM only
     * @throws IllegalStateException if ONNX Runtime's executed graph holds no value for a layer input
     */
    public static List<OrtLayerMatch> compareLayersIsolatedAsExecuted(ModelProto model, Program program, String programName,
                                                                      Map<String, Tensor> inputs) {
        for (Symbol s : program.symbols()) {
            if (s.kind() == SymbolKind.SRAM_ACTIVATION) {
                throw new IllegalArgumentException("program '" + programName + "': tensor '" + s.name()
                        + "' lives in SRAM only; compile with SRAM residency off to isolate layers");
            }
        }
        OrtExecutedGraph g = OrtExecutedGraph.of(model, OrtOptions.defaults());
        Set<String> wanted = new LinkedHashSet<>();
        for (LayerInfo l : program.layers()) {
            wanted.addAll(l.inputs());
            wanted.addAll(l.outputs());
        }
        Map<String, Tensor> ref = g.run(inputs, wanted);
        Machine m = new Machine(program, SimOptions.defaults().withSerial(true), programName);
        inputs.forEach(m::writeInput);
        Deque<LayerEvent> begins = new ArrayDeque<>();
        Deque<LayerEvent> ends = new ArrayDeque<>();
        m.addListener(new MachineListener() {
            @Override
            public void onLayerBegin(LayerEvent e) {
                begins.add(e);
            }

            @Override
            public void onLayerEnd(LayerEvent e) {
                ends.add(e);
            }
        });
        List<OrtLayerMatch> out = new ArrayList<>();
        RetireEvent r;
        do {
            r = m.step();
            // host writes happen between steps, never inside a listener
            while (!begins.isEmpty()) {
                LayerInfo l = program.layers().get(begins.poll().layer());
                for (String in : l.inputs()) {
                    Symbol s = program.symbol(in).orElse(null);
                    // graph inputs are already written; constants are the program's own
                    if (s == null || (s.kind() != SymbolKind.ACTIVATION && s.kind() != SymbolKind.OUTPUT)) continue;
                    Tensor v = ref.get(in);
                    if (v == null) {
                        throw new IllegalStateException("layer " + l.index() + " '" + l.name() + "': ONNX Runtime's executed graph"
                                + " holds no value of its input '" + in + "'");
                    }
                    m.writeSymbol(in, v.reshape(s.shape()));
                }
            }
            while (!ends.isEmpty()) {
                LayerInfo l = program.layers().get(ends.poll().layer());
                for (String t : l.outputs()) {
                    if (!ref.containsKey(t)) continue;
                    LayerMatch lm = compare(l, t, m.readSymbol(t), ref.get(t).reshape(program.symbol(t).orElseThrow().shape()),
                            program.symbol(t).orElseThrow());
                    out.add(new OrtLayerMatch(lm, g.probe(t).orElseThrow()));
                }
            }
        } while (r != null);
        return out;
    }

    static LayerMatch compare(LayerInfo l, String t, Tensor sim, Tensor ref, Symbol sym) {
        if (!Arrays.equals(sim.shape(), ref.shape()) || sim.dtype() != ref.dtype()) {
            throw new IllegalStateException("layer '" + l.name() + "': simulator gives " + sim + ", ONNX Runtime " + ref);
        }
        long mism = 0;
        double max = 0;
        for (int i = 0; i < sim.size(); i++) {
            double a = sim.getDouble(i);
            double b = ref.getDouble(i);
            boolean same = sim.dtype().isInteger() ? a == b
                    : Float.floatToRawIntBits((float) a) == Float.floatToRawIntBits((float) b);
            if (!same) {
                mism++;
                max = Math.max(max, Math.abs(a - b));
            }
        }
        return new LayerMatch(l.index(), l.name(), l.op(), t, sym.dtype(), sim.shape(), sim.size(), mism, max);
    }

    /** Every tensor name the model defines (inputs, initializers, node outputs). */
    static Set<String> tensorNames(ModelProto m) {
        Set<String> s = new HashSet<>();
        m.getGraph().getInputList().forEach(v -> s.add(v.getName()));
        m.getGraph().getNodeList().forEach(n -> s.addAll(n.getOutputList()));
        return s;
    }
}
