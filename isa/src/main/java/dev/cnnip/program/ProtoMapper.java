package dev.cnnip.program;

import com.google.protobuf.ByteString;
import dev.cnnip.hw.HwConfig;
import dev.cnnip.program.proto.DramSegmentProto;
import dev.cnnip.program.proto.LayerProto;
import dev.cnnip.program.proto.NumericsProto;
import dev.cnnip.program.proto.ProgramProto;
import dev.cnnip.program.proto.SourceEntryProto;
import dev.cnnip.program.proto.SymbolKindProto;
import dev.cnnip.program.proto.SymbolProto;
import dev.cnnip.tensor.DType;
import java.util.List;

/**
 * Maps the records to and from their protobuf messages. {@link #fromProto} throws
 * {@link IllegalArgumentException} naming the field at fault; the records validate the rest.
 */
final class ProtoMapper {
    private ProtoMapper() {}

    static ProgramProto toProto(Program p, int formatVersion) {
        ProgramProto.Builder b = ProgramProto.newBuilder()
                .setFormatVersion(formatVersion)
                .setToolVersion(p.toolVersion())
                .setCode(ByteString.copyFrom(p.codeBuffer()))
                .setDramSize(p.dramSize())
                .setNumerics(toProto(p.numerics()))
                .setHwConfigJson(p.hwConfig().toCanonicalJson())
                .setHwConfigHash(p.hwConfig().hash())
                .setModelName(p.modelName())
                .setModelSha256(p.modelSha256())
                .addAllInputs(p.inputs())
                .addAllOutputs(p.outputs());
        for (DramSegment s : p.segments()) {
            b.addSegments(DramSegmentProto.newBuilder().setName(s.name()).setAddress(s.address())
                    .setData(ByteString.copyFrom(s.buffer())));
        }
        for (Symbol s : p.symbols()) b.addSymbols(toProto(s));
        for (SourceEntry e : p.sourceMap()) {
            b.addSourceMap(SourceEntryProto.newBuilder().setInsn(e.insn()).setLayer(e.layer()).setTile(e.tile())
                    .setNote(e.note()));
        }
        for (LayerInfo l : p.layers()) {
            b.addLayers(LayerProto.newBuilder().setIndex(l.index()).setName(l.name()).setOp(l.op())
                    .addAllNodes(l.nodes()).addAllInputs(l.inputs()).addAllOutputs(l.outputs()).setMacs(l.macs()));
        }
        return b.build();
    }

    private static SymbolProto toProto(Symbol s) {
        SymbolProto.Builder b = SymbolProto.newBuilder()
                .setName(s.name())
                .setDtype(s.dtype().onnxCode())
                .setLayout(s.layout())
                .setAddress(s.address())
                .setBytes(s.bytes())
                .setAxis(s.axis())
                .setKind(toProto(s.kind()))
                .setLayer(s.layer());
        for (int d : s.shape()) b.addShape(d);
        for (int d : s.physicalShape()) b.addPhysicalShape(d);
        for (float f : s.scale()) b.addScale(f);
        for (int z : s.zeroPoint()) b.addZeroPoint(z);
        return b.build();
    }

    static Program fromProto(ProgramProto p) {
        HwConfig hw = HwConfig.fromCanonicalJson(p.getHwConfigJson());
        if (!hw.hash().equals(p.getHwConfigHash())) {
            throw new IllegalArgumentException("hw_config_hash " + p.getHwConfigHash() + " does not match hw_config_json,"
                    + " which hashes to " + hw.hash() + " with this tool (its parameter set differs); recompile");
        }
        return new Program(
                p.getToolVersion(),
                p.getCode().toByteArray(),
                unsigned(p.getDramSize(), "dram_size"),
                p.getSegmentsList().stream().map(ProtoMapper::fromProto).toList(),
                p.getSymbolsList().stream().map(ProtoMapper::fromProto).toList(),
                p.getSourceMapList().stream().map(ProtoMapper::fromProto).toList(),
                p.getLayersList().stream().map(ProtoMapper::fromProto).toList(),
                fromProto(p.getNumerics()),
                hw,
                p.getModelName(),
                p.getModelSha256(),
                p.getInputsList(),
                p.getOutputsList());
    }

    private static DramSegment fromProto(DramSegmentProto s) {
        return new DramSegment(s.getName(), unsigned(s.getAddress(), "segment '" + s.getName() + "' address"),
                s.getData().toByteArray());
    }

    private static Symbol fromProto(SymbolProto s) {
        String what = "symbol '" + s.getName() + "'";
        DType dtype;
        try {
            dtype = DType.fromOnnx(s.getDtype());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
        }
        float[] scale = new float[s.getScaleCount()];
        for (int i = 0; i < scale.length; i++) scale[i] = s.getScale(i);
        int[] zeroPoint = s.getZeroPointList().stream().mapToInt(Integer::intValue).toArray();
        return new Symbol(s.getName(), dtype, dims(s.getShapeList(), what + " shape"), s.getLayout(),
                dims(s.getPhysicalShapeList(), what + " physical shape"), unsigned(s.getAddress(), what + " address"),
                unsigned(s.getBytes(), what + " bytes"), scale, zeroPoint, s.getAxis(), fromProto(s.getKind(), what),
                s.getLayer());
    }

    private static SourceEntry fromProto(SourceEntryProto e) {
        if (e.getInsn() < 0) {
            throw new IllegalArgumentException("source map insn " + Integer.toUnsignedString(e.getInsn()) + " too large");
        }
        return new SourceEntry(e.getInsn(), e.getLayer(), e.getTile(), e.getNote());
    }

    private static LayerInfo fromProto(LayerProto l) {
        return new LayerInfo(l.getIndex(), l.getName(), l.getOp(), l.getNodesList(), l.getInputsList(),
                l.getOutputsList(), unsigned(l.getMacs(), "layer '" + l.getName() + "' macs"));
    }

    private static NumericsProto toProto(Numerics n) {
        return switch (n) {
            case ORT -> NumericsProto.ORT;
            case HW -> NumericsProto.HW;
        };
    }

    private static Numerics fromProto(NumericsProto n) {
        return switch (n) {
            case ORT -> Numerics.ORT;
            case HW -> Numerics.HW;
            case NUMERICS_UNSPECIFIED, UNRECOGNIZED -> throw new IllegalArgumentException("numerics is unspecified or unknown");
        };
    }

    private static SymbolKindProto toProto(SymbolKind k) {
        return switch (k) {
            case INPUT -> SymbolKindProto.INPUT;
            case OUTPUT -> SymbolKindProto.OUTPUT;
            case ACTIVATION -> SymbolKindProto.ACTIVATION;
            case WEIGHT -> SymbolKindProto.WEIGHT;
            case PARAM -> SymbolKindProto.PARAM;
            case SRAM_ACTIVATION -> SymbolKindProto.SRAM_ACTIVATION;
        };
    }

    private static SymbolKind fromProto(SymbolKindProto k, String what) {
        return switch (k) {
            case INPUT -> SymbolKind.INPUT;
            case OUTPUT -> SymbolKind.OUTPUT;
            case ACTIVATION -> SymbolKind.ACTIVATION;
            case WEIGHT -> SymbolKind.WEIGHT;
            case PARAM -> SymbolKind.PARAM;
            case SRAM_ACTIVATION -> SymbolKind.SRAM_ACTIVATION;
            case SYMBOL_KIND_UNSPECIFIED, UNRECOGNIZED -> throw new IllegalArgumentException(what + ": kind is unspecified or unknown");
        };
    }

    /** A uint64 field as a non-negative long; values of 2^63 and above are rejected. */
    private static long unsigned(long v, String what) {
        if (v < 0) throw new IllegalArgumentException(what + " " + Long.toUnsignedString(v) + " is too large");
        return v;
    }

    private static int[] dims(List<Long> dims, String what) {
        int[] out = new int[dims.size()];
        for (int i = 0; i < out.length; i++) {
            long d = dims.get(i);
            if (d < 0 || d > Integer.MAX_VALUE) throw new IllegalArgumentException(what + " has dimension " + d);
            out[i] = (int) d;
        }
        return out;
    }
}
