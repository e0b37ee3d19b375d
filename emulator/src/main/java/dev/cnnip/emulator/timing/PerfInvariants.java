package dev.cnnip.emulator.timing;

import java.util.ArrayList;
import java.util.List;

/**
 * The invariants every {@link PerfReport} satisfies, checked from the report alone (tests run it on
 * every program they simulate):
 * <ul>
 * <li>per engine: {@code busy + idle = total}, {@code busy + stalls by cause + free = total};</li>
 * <li>per layer and in total: {@code cycles >= bound = max(tMac, tDram, tSram)}, {@code limit} the largest
 * term, {@code dramBytes = dramRead + dramWritten}, {@code skippedMacs <= macs};</li>
 * <li>the layers' attributed cycles sum to the total;</li>
 * <li>ratios in [0, 1] (MAC utilisation, mapping efficiency), and no negative figure anywhere.</li>
 * </ul>
 * The ideal bound is a figure of merit, not an invariant: a program whose image holds constants it never
 * loads may beat it.
 */
public final class PerfInvariants {
    private PerfInvariants() {}

    /** One line per violated invariant; empty when the report is consistent. */
    public static List<String> violations(PerfReport r) {
        List<String> out = new ArrayList<>();
        long total = r.totalCycles();
        if (total < 0 || r.instructions() < 0) out.add("negative total cycles or instructions");
        for (EngineStats e : r.engines()) {
            String n = "engine " + e.engine() + ": ";
            if (e.busy() + e.idle() != total) out.add(n + "busy " + e.busy() + " + idle " + e.idle() + " != total " + total);
            if (e.busy() + e.stalls() + e.free() != total) {
                out.add(n + "busy " + e.busy() + " + stalls " + e.stalls() + " + free " + e.free() + " != total " + total);
            }
            if (e.instructions() < 0 || e.busy() < 0 || e.idle() < 0 || e.stallSemaphore() < 0 || e.stallFetch() < 0
                    || e.stallDram() < 0 || e.stallOrder() < 0 || e.free() < 0) {
                out.add(n + "negative figure " + e);
            }
        }
        List<LayerStats> rows = new ArrayList<>(r.layers());
        rows.add(r.total());
        for (LayerStats l : rows) {
            String n = "layer " + l.index() + " '" + l.name() + "': ";
            if (l.cycles() < l.bound()) out.add(n + "cycles " + l.cycles() + " < bound " + l.bound() + " (" + l.limit() + ")");
            long max = Math.max(l.tMac(), Math.max(l.tDram(), l.tSram()));
            if (l.bound() != max) out.add(n + "bound " + l.bound() + " != max of its terms " + max);
            if (l.limit() != Limit.of(l.tMac(), l.tDram(), l.tSram())) out.add(n + "limit " + l.limit() + " is not the largest term");
            if (l.dramBytes() != l.dramRead() + l.dramWritten()) out.add(n + "dram bytes != read + written");
            if (l.skippedMacs() > l.macs()) out.add(n + "skipped MACs exceed MACs");
            if (!(l.macUtilisation() >= 0 && l.macUtilisation() <= 1)) out.add(n + "MAC utilisation " + l.macUtilisation());
            if (!(l.mappingEfficiency() >= 0 && l.mappingEfficiency() <= 1 + 1e-12)) {
                out.add(n + "mapping efficiency " + l.mappingEfficiency());
            }
            if (l.instructions() < 0 || l.start() < 0 || l.end() < l.start() || l.cycles() < 0 || l.macs() < 0
                    || l.dramBytes() < 0 || l.tMac() < 0 || l.tDram() < 0 || l.tSram() < 0 || l.exCycles() < 0
                    || l.skippedMacs() < 0 || l.sramBytes() < 0 || l.bandwidth() < 0 || l.attributedCycles() < 0) {
                out.add(n + "negative figure " + l);
            }
        }
        long attributed = 0;
        for (LayerStats l : r.layers()) attributed += l.attributedCycles();
        if (!r.layers().isEmpty() && attributed != total) {
            out.add("attributed cycles of the layers sum to " + attributed + ", not the total " + total);
        }
        if (r.fps() < 0 || r.effectiveTops() < 0 || r.compulsoryBytes() < 0) out.add("negative rate " + r.fps() + " fps");
        return out;
    }

    /** Throws {@link IllegalStateException} listing the violations, if any. */
    public static void check(PerfReport r) {
        List<String> v = violations(r);
        if (!v.isEmpty()) throw new IllegalStateException("performance report violates " + v.size() + " invariant(s): "
                + String.join("; ", v));
    }
}
