package dev.cnnip.compiler.lower;

import dev.cnnip.compiler.backend.ConvWindow;
import dev.cnnip.compiler.backend.Layout;
import dev.cnnip.compiler.backend.ProgramBuilder;
import dev.cnnip.compiler.backend.TensorRef;
import dev.cnnip.compiler.frontend.ConvGeometry;
import dev.cnnip.compiler.ir.Graph;
import dev.cnnip.compiler.ir.GraphException;
import dev.cnnip.compiler.ir.Value;
import dev.cnnip.compiler.quant.QGraph;
import dev.cnnip.compiler.quant.QParams;
import dev.cnnip.program.Numerics;
import dev.cnnip.tensor.Tensor;

/**
 * What every lowering of canonical layers shares: the graph with its quantization parameters, the program
 * being built, the numerics mode, and the activation tensors registered so far.
 */
abstract class LoweringBase {
    final QGraph qg;
    final Graph g;
    final ProgramBuilder pb;
    final boolean intMode;

    LoweringBase(QGraph qg, ProgramBuilder pb) {
        this.qg = qg;
        this.g = qg.graph();
        this.pb = pb;
        this.intMode = pb.numerics() == Numerics.HW;
    }

    /** The activation tensor of value {@code name}, registered on first use. */
    TensorRef ref(String name) {
        if (pb.hasTensor(name)) return pb.tensor(name);
        Value v = g.value(name);
        if (v.isConstant()) throw new GraphException("tensor '" + name + "' is a constant where an activation is expected");
        QParams p = qg.params().get(name);
        TensorRef t = p == null ? new TensorRef(name, v.dtype(), v.shape(), null, null, 0)
                : new TensorRef(name, v.dtype(), v.shape(), p.scale(), p.zeroPoint(), p.axis());
        return pb.tensor(t);
    }

    /** An activation, or a constant operand placed in DRAM with its quantization. */
    TensorRef operand(String name) {
        Value v = g.value(name);
        if (!v.isConstant()) return ref(name);
        QParams p = qg.paramsOf(name);
        Tensor c = v.constant();
        // stored flat in its row-major order; the caller decides from the logical shape how it broadcasts
        return pb.constantTensor(name, c.rank() == 4 ? c.reshape(c.size()) : c, p.scale(), p.zeroPoint());
    }

    /** Whether the tensor's physical order equals its logical row-major order. */
    static boolean keepsRowMajorOrder(TensorRef t) {
        if (t.layout() == Layout.ROW_MAJOR) return true;
        int[] s = t.shape();
        return s[1] == 1 || (long) s[2] * s[3] == 1;
    }

    /** The backend's window (kernel, strides, dilations, leading pads) of a resolved geometry. */
    static ConvWindow window(ConvGeometry g) {
        return new ConvWindow(g.kh(), g.kw(), g.sh(), g.sw(), g.dh(), g.dw(), g.pt(), g.pl());
    }
}
