package dev.cnnip.compiler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnip.compiler.demo.DemoModel;
import dev.cnnip.compiler.layer.Layer;
import dev.cnnip.compiler.quant.QGraph;
import dev.cnnip.compiler.quant.QdqQuantizer;
import dev.cnnip.hw.HwConfig;
import dev.cnnip.onnx.proto.ModelProto;
import dev.cnnip.program.Numerics;
import dev.cnnip.program.Program;
import dev.cnnip.program.ProgramAssembler;
import dev.cnnip.program.ProgramFile;
import dev.cnnip.program.ProgramListing;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemoCompileTest {
    @Test
    void demoQuantizesAndCompilesDeterministically() {
        ModelProto f = DemoModel.build(1);
        QdqQuantizer.Result q = QdqQuantizer.quantize(f, DemoModel.inputs(7, 4), QdqQuantizer.Options.defaults(), null);
        QGraph qg = Compiler.canonicalize(q.model(), CompileOptions.of(HwConfig.preset("tiny"), Numerics.ORT));
        List<String> ops = qg.layers().stream().map(Layer::kind).toList();
        assertEquals(ops, qg.graph().nodes().stream().map(n -> n.opType()).toList(), "graph nodes mirror the layers");
        assertEquals(List.of("Quantize", "QConv", "QMaxPool", "QConv", "QConv", "QAdd", "QMaxPool", "QConv",
                "QGlobalAveragePool", "QReshape", "QMatMul", "Dequantize"), ops);
        Program p1 = Compiler.compile(q.model(), "demo", CompileOptions.of(HwConfig.preset("tiny"), Numerics.ORT));
        Program p2 = Compiler.compile(q.model(), "demo", CompileOptions.of(HwConfig.preset("tiny"), Numerics.ORT));
        assertArrayEquals(ProgramFile.toBytes(p1), ProgramFile.toBytes(p2));
        assertEquals(11, p1.layers().size());
        assertTrue(p1.instructionCount() > 100);
        // the full listing assembles back into the same program
        Program back = ProgramAssembler.assemble(ProgramListing.full(p1), HwConfig.preset("v3u-like"));
        assertEquals(p1, back);
        assertArrayEquals(ProgramFile.toBytes(p1), ProgramFile.toBytes(back));
    }
}
