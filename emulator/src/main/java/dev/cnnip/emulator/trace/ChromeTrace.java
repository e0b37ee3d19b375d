package dev.cnnip.emulator.trace;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.cnnip.emulator.MachineListener;
import dev.cnnip.emulator.RetireEvent;
import dev.cnnip.isa.Engine;
import dev.cnnip.program.LayerInfo;
import dev.cnnip.program.Program;
import dev.cnnip.tensor.AtomicFiles;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects retired instructions and writes them as a Chrome trace-event JSON that ui.perfetto.dev and
 * chrome://tracing open: one process ({@code cnnip}), one thread (track) per engine in {@link Engine}
 * order, one complete ({@code "ph": "X"}) event per instruction with {@code name} = mnemonic,
 * {@code ts} and {@code dur} in microseconds ({@code cycles / clock.mhz}) and {@code args} = pc and layer.
 * The output is deterministic: events in retirement order, fixed property order.
 */
public final class ChromeTrace implements MachineListener {
    private final double clockMhz;
    private final List<LayerInfo> layers;
    private final List<RetireEvent> events = new ArrayList<>();

    /** A trace for runs of {@code program} (its clock and layer names). */
    public ChromeTrace(Program program) {
        this.clockMhz = program.hwConfig().clockMhz();
        this.layers = program.layers();
    }

    @Override
    public void onRetire(RetireEvent e) {
        events.add(e);
    }

    /** Number of instructions recorded. */
    public int size() {
        return events.size();
    }

    /** The trace as JSON text. */
    public String toJson() {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("displayTimeUnit", "ns");
            g.writeArrayFieldStart("traceEvents");
            meta(g, "process_name", -1, "cnnip");
            for (Engine e : Engine.values()) {
                meta(g, "thread_name", e.ordinal(), e.name());
                g.writeStartObject();
                g.writeStringField("name", "thread_sort_index");
                g.writeStringField("ph", "M");
                g.writeNumberField("pid", 0);
                g.writeNumberField("tid", e.ordinal());
                g.writeObjectFieldStart("args");
                g.writeNumberField("sort_index", e.ordinal());
                g.writeEndObject();
                g.writeEndObject();
            }
            for (RetireEvent e : events) {
                g.writeStartObject();
                g.writeStringField("name", e.insn().op().mnemonic());
                g.writeStringField("cat", e.engine().label());
                g.writeStringField("ph", "X");
                g.writeNumberField("pid", 0);
                g.writeNumberField("tid", e.engine().ordinal());
                g.writeNumberField("ts", e.start() / clockMhz);
                g.writeNumberField("dur", (e.end() - e.start()) / clockMhz);
                g.writeObjectFieldStart("args");
                g.writeNumberField("pc", e.pc());
                g.writeStringField("layer", layerName(e.layer()));
                g.writeNumberField("start_cycle", e.start());
                g.writeNumberField("end_cycle", e.end());
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString() + "\n";
    }

    /** Writes {@link #toJson()} to {@code file} atomically. */
    public void write(Path file) throws IOException {
        AtomicFiles.write(file, toJson().getBytes(StandardCharsets.UTF_8));
    }

    private String layerName(int layer) {
        if (layer < 0) return "";
        return layer < layers.size() ? layers.get(layer).name() : Integer.toString(layer);
    }

    private static void meta(JsonGenerator g, String name, int tid, String value) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", name);
        g.writeStringField("ph", "M");
        g.writeNumberField("pid", 0);
        if (tid >= 0) g.writeNumberField("tid", tid);
        g.writeObjectFieldStart("args");
        g.writeStringField("name", value);
        g.writeEndObject();
        g.writeEndObject();
    }
}
