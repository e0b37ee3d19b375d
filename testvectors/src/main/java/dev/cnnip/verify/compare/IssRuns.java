package dev.cnnip.verify.compare;

import dev.cnnip.emulator.LayerEvent;
import dev.cnnip.emulator.Machine;
import dev.cnnip.emulator.MachineListener;
import dev.cnnip.emulator.RetireEvent;
import dev.cnnip.emulator.SimOptions;
import dev.cnnip.numerics.Quantize;
import dev.cnnip.program.LayerInfo;
import dev.cnnip.program.Program;
import dev.cnnip.program.Symbol;
import dev.cnnip.tensor.Tensor;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The two instruction-set-simulator runs of one item.
 * <ul>
 * <li><b>accumulated</b>: the program end to end, as deployed (overlapped engines); every layer output is
 *     read from DRAM afterwards (the compiler gives every tensor its own DRAM bytes);</li>
 * <li><b>isolated</b>: serial mode; at each {@code layer.begin} the layer's inputs are overwritten with the
 *     float model's values of those tensors quantized with the inputs' own parameters, and its outputs are
 *     read at its {@code layer.end}, so each layer's error is its own and not inherited.</li>
 * </ul>
 */
final class IssRuns {
    private IssRuns() {}

    /** Runs the program as deployed; returns the machine (finished) for its outputs and reports. */
    static Machine accumulated(Program p, String programName, Map<String, Tensor> item, MachineListener... listeners) {
        Machine m = new Machine(p, SimOptions.defaults(), programName);
        item.forEach(m::writeInput);
        for (MachineListener l : listeners) m.addListener(l);
        m.run();
        return m;
    }

    /**
     * The isolated run.
     *
     * @param floatValue float model's value of a symbol, or null when it has none
     * @param wanted     symbols to capture at their layer's end
     * @return the captured symbols
     */
    static Map<String, Tensor> isolated(Program p, String programName, Map<String, Tensor> item,
                                        Function<String, Tensor> floatValue, Collection<String> wanted) {
        Machine m = new Machine(p, SimOptions.defaults().withSerial(true), programName);
        item.forEach(m::writeInput);
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
        Map<String, Tensor> out = new HashMap<>();
        RetireEvent r;
        do {
            r = m.step();
            // host writes happen between steps, never inside a listener
            while (!begins.isEmpty()) {
                LayerInfo l = p.layers().get(begins.poll().layer());
                for (String in : l.inputs()) {
                    Tensor f = floatValue.apply(in);
                    if (f != null) m.writeSymbol(in, quantize(p.symbol(in).orElseThrow(), f));
                }
            }
            while (!ends.isEmpty()) {
                LayerInfo l = p.layers().get(ends.poll().layer());
                for (String o : l.outputs()) if (wanted.contains(o)) out.put(o, m.readSymbol(o));
            }
        } while (r != null);
        return out;
    }

    /** A float tensor as the symbol's codes (QuantizeLinear), or the float tensor itself for a float symbol. */
    static Tensor quantize(Symbol s, Tensor f) {
        if (!s.isQuantized()) return f.reshape(s.shape());
        Tensor q = Tensor.zeros(s.dtype(), s.shape());
        float[] scale = s.scale();
        int[] zp = s.zeroPoint();
        int[] shape = s.shape();
        int inner = 1;
        for (int i = s.axis() + 1; i < shape.length; i++) inner *= shape[i];
        for (int i = 0; i < q.size(); i++) {
            int c = scale.length == 1 ? 0 : (i / inner) % scale.length;
            q.setLong(i, Quantize.quantize(f.getFloat(i), scale[c], zp.length == 0 ? 0 : zp[c], (int) s.dtype().min(),
                    (int) s.dtype().max()));
        }
        return q;
    }

    /** Real values of a symbol's codes (DequantizeLinear), or the values of a float symbol. */
    static float[] dequantize(Symbol s, Tensor t) {
        float[] out = new float[t.size()];
        if (!s.isQuantized()) {
            for (int i = 0; i < out.length; i++) out[i] = t.getFloat(i);
            return out;
        }
        float[] scale = s.scale();
        int[] zp = s.zeroPoint();
        int[] shape = s.shape();
        int inner = 1;
        for (int i = s.axis() + 1; i < shape.length; i++) inner *= shape[i];
        for (int i = 0; i < out.length; i++) {
            int c = scale.length == 1 ? 0 : (i / inner) % scale.length;
            out[i] = Quantize.dequantize((int) t.getLong(i), zp.length == 0 ? 0 : zp[c], scale[c]);
        }
        return out;
    }
}
