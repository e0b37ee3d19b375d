package dev.cnnip.emulator.timing;

import java.util.Locale;

/**
 * {@link PerfReport} as CSV (RFC 4180, {@code \n} line ends): {@link #layers} has one row per layer
 * and a final {@code total} row; {@link #engines} one row per engine. New columns are appended after the
 * original ones, so readers by position keep working.
 */
public final class PerfCsv {
    private PerfCsv() {}

    /** The header of {@link #layers}. */
    public static final String LAYER_HEADER = "layer,name,instructions,start,end,cycles,macs,dram_bytes,mac_utilisation,"
            + "t_mac,t_dram,bound,limit,t_sram,mapping_efficiency,ex_cycles,skipped_macs,dram_read,dram_written,"
            + "sram_bytes,bandwidth,bound_ratio,attributed_cycles,attributed_ratio";

    public static String layers(PerfReport r) {
        StringBuilder sb = new StringBuilder(LAYER_HEADER).append('\n');
        for (LayerStats s : r.layers()) row(sb, s);
        row(sb, r.total());
        return sb.toString();
    }

    public static String engines(PerfReport r) {
        StringBuilder sb = new StringBuilder(
                "engine,instructions,busy,idle,stall_semaphore,stall_fetch,stall_dram,stall_order,free\n");
        for (EngineStats e : r.engines()) {
            sb.append(e.engine()).append(',').append(e.instructions()).append(',').append(e.busy()).append(',')
                    .append(e.idle()).append(',').append(e.stallSemaphore()).append(',').append(e.stallFetch())
                    .append(',').append(e.stallDram()).append(',').append(e.stallOrder()).append(',').append(e.free())
                    .append('\n');
        }
        return sb.toString();
    }

    private static void row(StringBuilder sb, LayerStats s) {
        sb.append(s.index()).append(',').append(quote(s.name())).append(',').append(s.instructions()).append(',')
                .append(s.start()).append(',').append(s.end()).append(',').append(s.cycles()).append(',')
                .append(s.macs()).append(',').append(s.dramBytes()).append(',')
                .append(f6(s.macUtilisation())).append(',').append(s.tMac())
                .append(',').append(s.tDram()).append(',').append(s.bound()).append(',').append(s.limit().label())
                .append(',').append(s.tSram()).append(',').append(f6(s.mappingEfficiency())).append(',')
                .append(s.exCycles()).append(',').append(s.skippedMacs()).append(',').append(s.dramRead()).append(',')
                .append(s.dramWritten()).append(',').append(s.sramBytes()).append(',').append(f6(s.bandwidth()))
                .append(',').append(f6(s.boundRatio())).append(',').append(s.attributedCycles())
                .append(',').append(f6(s.attributedRatio())).append('\n');
    }

    static String f6(double v) {
        return String.format(Locale.ROOT, "%.6f", v);
    }

    /** Quotes a field when it holds a comma, quote or line break. */
    static String quote(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) return s;
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}
