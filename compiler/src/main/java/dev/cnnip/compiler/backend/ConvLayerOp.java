package dev.cnnip.compiler.backend;

import java.util.List;

/** A convolution (or GEMM as a 1×1 convolution) layer. */
record ConvLayerOp(String name, String op, List<String> nodes, ConvSpec spec) implements LayerOp {
    @Override
    public List<TensorRef> inputs() {
        return List.of(spec.x());
    }

    @Override
    public List<TensorRef> outputs() {
        return List.of(spec.y());
    }

    @Override
    public long macs() {
        return spec.macs();
    }

    @Override
    public Emission lower(SramArena arena, long sramBytes) {
        return lower(arena, sramBytes, Residency.NONE);
    }

    @Override
    public Emission lower(SramArena arena, long sramBytes, Residency residency) {
        long xRes = residency.address(spec.x());
        long yRes = residency.address(spec.y());
        boolean store = !residency.sramOnly(spec.y());
        ConvPlan plan = ConvPlan.choose(spec, sramBytes, xRes >= 0, yRes >= 0);
        if (plan == null) {
            throw new BackendException("layer '" + name + "' (" + op + " " + spec.kh() + "x" + spec.kw() + ", " + spec.ic()
                    + " -> " + spec.oc() + " channels) does not fit in SRAM of " + sramBytes + " bytes even with 1-pixel tiles");
        }
        ConvLowering.Buffers buffers = ConvLowering.allocate(arena, spec, plan, xRes >= 0, yRes >= 0);
        return em -> ConvLowering.emit(em, spec, plan, buffers, xRes, yRes, store);
    }
}
