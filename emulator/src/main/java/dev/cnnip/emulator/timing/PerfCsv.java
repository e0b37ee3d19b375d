package dev.cnnip.emulator.timing;

import java.util.Locale;

/**
 * {@link PerfReport} as CSV (RFC 4180, {@code \n} line ends): {@link #layers} has one row per layer
 * and a final {@code total} row; {@link #engines} one row per engine.
 */
public final class PerfCsv {
    private PerfCsv() {}

    public static String layers(PerfReport r) {
        StringBuilder sb = new StringBuilder(
                "layer,name,instructions,start,end,cycles,macs,dram_bytes,mac_utilisation,t_mac,t_dram,bound,limit\n");
        for (LayerStats s : r.layers()) row(sb, s);
        row(sb, r.total());
        return sb.toString();
    }

    public static String engines(PerfReport r) {
        StringBuilder sb = new StringBuilder(
                "engine,instructions,busy,idle,stall_semaphore,stall_fetch,stall_dram,stall_order\n");
        for (EngineStats e : r.engines()) {
            sb.append(e.engine()).append(',').append(e.instructions()).append(',').append(e.busy()).append(',')
                    .append(e.idle()).append(',').append(e.stallSemaphore()).append(',').append(e.stallFetch())
                    .append(',').append(e.stallDram()).append(',').append(e.stallOrder()).append('\n');
        }
        return sb.toString();
    }

    private static void row(StringBuilder sb, LayerStats s) {
        sb.append(s.index()).append(',').append(quote(s.name())).append(',').append(s.instructions()).append(',')
                .append(s.start()).append(',').append(s.end()).append(',').append(s.cycles()).append(',')
                .append(s.macs()).append(',').append(s.dramBytes()).append(',')
                .append(String.format(Locale.ROOT, "%.6f", s.macUtilisation())).append(',').append(s.tMac())
                .append(',').append(s.tDram()).append(',').append(s.bound()).append(',').append(s.limit()).append('\n');
    }

    /** Quotes a field when it holds a comma, quote or line break. */
    static String quote(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) return s;
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}
