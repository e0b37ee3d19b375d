package dev.cnnip.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cnnip.emulator.timing.EngineStats;
import dev.cnnip.emulator.timing.LayerStats;
import dev.cnnip.emulator.timing.PerfCsv;
import dev.cnnip.emulator.timing.PerfInvariants;
import dev.cnnip.emulator.timing.PerfJson;
import dev.cnnip.emulator.timing.PerfReport;
import dev.cnnip.emulator.timing.PerfText;
import dev.cnnip.emulator.trace.ChromeTrace;
import dev.cnnip.hw.HwConfig;
import dev.cnnip.isa.Opcode;
import dev.cnnip.program.Program;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The timing model: closed-form durations, queueing, contention, report invariants and output formats. */
class TimingTest {
    /** Runs a program and returns its retire events by pc. */
    private static Map<Integer, RetireEvent> events(Program p, boolean serial) {
        Machine m = new Machine(p, SimOptions.defaults().withSerial(serial));
        Map<Integer, RetireEvent> out = new HashMap<>();
        m.addListener(new MachineListener() {
            @Override
            public void onRetire(RetireEvent e) {
                out.put(e.pc(), e);
            }
        });
        m.run();
        return out;
    }

    private static long duration(RetireEvent e) {
        return e.end() - e.start();
    }

    /** The first {@code ex.conv} of a program run alone, overlapped. */
    private static RetireEvent conv(Program p) {
        return events(p, false).values().stream().filter(e -> e.insn().op() == Opcode.EX_CONV).findFirst().orElseThrow();
    }

    @Test
    void singleLoadTakesSetupLatencyRowsAndTransfer() {
        HwConfig hw = TestPrograms.TINY;
        // tiny: dma.setup 4, dram.latency 10, dma.row_overhead 1, bus 64 bits = 8 B/cycle, DRAM 8 B/cycle.
        long bw = Math.min(hw.busBits() / 8, hw.dramBytesPerCycle());
        Map<Integer, RetireEvent> ev = events(TestPrograms.tiny().asm("ld.set esz=4096\nld dram=0 sram=0\nfinish").build(), false);
        assertEquals(hw.dmaSetup() + hw.dramLatency() + hw.dmaRowOverhead() + 4096 / bw, duration(ev.get(1)));
        assertEquals(4 + 10 + 1 + 512, duration(ev.get(1)));
        assertEquals(1, ev.get(1).metrics().bursts());

        // 64 rows of 64 bytes with a DRAM gap between rows: 64 bursts.
        ev = events(TestPrograms.tiny().dram(8192).asm("ld.set esz=64 n0=64\nld.set ds0=128 ss0=64\nld dram=0 sram=0\nfinish")
                .build(), false);
        assertEquals(64, ev.get(2).metrics().bursts());
        assertEquals(4 + 10 + 64 + 512, duration(ev.get(2)));
        // SET takes 1 cycle; the first fetch is at cycle 0, one instruction per cycle after.
        assertEquals(0, ev.get(0).start());
        assertEquals(1, duration(ev.get(0)));
        assertEquals(2, ev.get(2).fetch());
        assertEquals(ev.get(2).end() + hw.ctlLatency(), ev.get(3).end(), "finish waits for LD, then takes ctl.latency");
    }

    @Test
    void loadAndStoreContendForDram() {
        Program p = TestPrograms.tiny().dram(0x4000)
                .asm("ld.set esz=4096\nst.set esz=4096\nld dram=0 sram=0\nst dram=0x2000 sram=0x1000\nfinish").build();
        Map<Integer, RetireEvent> ev = events(p, false);
        RetireEvent ld = ev.get(2);
        RetireEvent st = ev.get(3);
        assertEquals(2, ld.start());
        assertEquals(3, st.start(), "ST starts while LD runs (different engines)");
        assertEquals(527, duration(ld));
        // ST's transfer waits for the DRAM port until LD's transfer ends, then takes its own 512 cycles.
        assertEquals(ld.end() + 512, st.end());
        assertEquals(527 + (ld.end() - (st.start() + 15)), duration(st));
        Machine m = new Machine(p);
        m.run();
        EngineStats stStats = m.perfReport().engines().get(4);
        assertEquals("st", stStats.engine());
        assertEquals(ld.end() - (st.start() + 15), stStats.stallDram());
        assertEquals(527 + 1, stStats.busy(), "busy counts nominal durations: st + st.set");

        // Alone, the same store takes the closed-form time.
        Map<Integer, RetireEvent> alone = events(TestPrograms.tiny().dram(0x4000)
                .asm("st.set esz=4096\nst dram=0x2000 sram=0x1000\nfinish").build(), false);
        assertEquals(527, duration(alone.get(1)));
    }

    @Test
    void computeDurations() {
        HwConfig hw = TestPrograms.TINY;
        // conv: oh=ow=4 (ceil(16/4)=4 pixel blocks), oc=goc=8 (ceil(8/4)=2), gic=16 (ceil(16/4)=4), 3x3 kernel.
        String conv = Elements.sets("ex", "ih", 6, "iw", 6, "ic", 16, "oh", 4, "ow", 4, "oc", 8, "kh", 3, "kw", 3,
                "gic", 16, "goc", 8) + "ex.conv x=0 w=0x1000 acc=0x2000 xt=u8 wt=s8";
        Map<Integer, RetireEvent> ev = events(TestPrograms.tiny().asm(conv).asm("finish").build(), false);
        RetireEvent c = ev.values().stream().filter(e -> e.insn().op() == Opcode.EX_CONV).findFirst().orElseThrow();
        assertEquals(hw.exFill() + 4 * 2 * 4 * 9, duration(c));
        // Depthwise, 8 channels of 4x4 pixels, 3x3 kernel, with a wide SRAM port so compute bounds. Depthwise
        // mode (tiny: ex.dw_lanes = 16 = mac.ic x mac.oc): the 8 channels side by side, the 8 spare channel lanes
        // take a second set of 4 pixels, one tap per cycle: ceil(16 / (4 * 2)) * ceil(8 / 16) * 9 = 18 cycles.
        String dw = Elements.sets("ex", "ih", 6, "iw", 6, "ic", 8, "oh", 4, "ow", 4, "oc", 8, "kh", 3, "kw", 3)
                + "ex.conv x=0 w=0x1000 acc=0x2000 xt=u8 wt=s8";
        assertEquals(16, hw.exDwLanes());
        HwConfig wideSram = hw.withOverride("sram.bytes_per_cycle=4096");
        assertEquals(hw.exFill() + 2 * 1 * 9, duration(conv(TestPrograms.on(wideSram).asm(dw).asm("finish").build())));
        // On tiny's 32-byte port the SRAM traffic bounds instead: (6*6*8 input + 72 weights + 16*8*4 acc) / 32.
        assertEquals((288 + 72 + 512 + 31) / 32, duration(conv(TestPrograms.tiny().asm(dw).asm("finish").build())));
        // Mode off: grouped mapping, min(4/1, 4/1) = 4 groups block-diagonal per pass, ceil(8/4) = 2 passes:
        // ceil(16/4) * 2 * 9 = 72 (one group per pass would be 8 * 4 * 9 = 288).
        HwConfig off = wideSram.withOverride("ex.dw_lanes=0");
        assertEquals(hw.exFill() + 4 * 2 * 9, duration(conv(TestPrograms.on(off).asm(dw).asm("finish").build())));
        // Grouped 2 x (gic 4, goc 4): 1 group per pass on 4x4 lanes; 2 passes * 9 taps * 4 pixel blocks.
        String grouped = Elements.sets("ex", "ih", 6, "iw", 6, "ic", 8, "oh", 4, "ow", 4, "oc", 8, "kh", 3, "kw", 3,
                "gic", 4, "goc", 4) + "ex.conv x=0 w=0x1000 acc=0x2000 xt=u8 wt=s8";
        assertEquals(hw.exFill() + 4 * 2 * 9, duration(conv(TestPrograms.on(wideSram).asm(grouped).asm("finish").build())));

        // requant of 16 pixels x 8 channels: lanes give 2 + 128/16 = 10 cycles, but the SRAM port needs
        // (512 acc + 96 table + 128 out) / 32 = 23.
        ev = events(TestPrograms.tiny().asm("pp.set n=16 c=8\npp.set apitch=8 opitch=8\n"
                + "pp.requant acc=0 prm=0x1000 out=0x2000 ot=u8\nfinish").build(), false);
        assertEquals(23, duration(ev.get(2)));
        // With a wide SRAM port the lanes bound: lut of 1024 elements = 2 + 1024/16.
        HwConfig wide = hw.withOverride("sram.bytes_per_cycle=4096");
        ev = events(TestPrograms.on(wide).asm("pp.set n=1024\npp.lut src=0 tbl=0x1000 dst=0x2000 it=u8 ot=u8\nfinish").build(), false);
        assertEquals(hw.ppLatency() + 1024 / hw.ppLanes(), duration(ev.get(1)));
        // maxpool counts outputs x taps: 4x4x8 outputs, 3x3 window = 1152 elements -> 2 + 72.
        ev = events(TestPrograms.on(wide).asm(Elements.sets("pp", "ih", 8, "iw", 8, "c", 8, "oh", 4, "ow", 4, "kh", 3,
                "kw", 3, "sh", 2, "sw", 2) + "pp.maxpool src=0 dst=0x1000 dt=u8\nfinish").build(), false);
        assertEquals(2 + 1152 / 16, duration(ev.values().stream()
                .filter(e -> e.insn().op() == Opcode.PP_MAXPOOL).findFirst().orElseThrow()));
        // CTL instructions take ctl.latency.
        HwConfig slowCtl = hw.withOverride("ctl.latency=3");
        ev = events(TestPrograms.on(slowCtl).asm("nop\nlayer.begin id=0\nfinish").build(), false);
        assertEquals(3, duration(ev.get(0)));
        assertEquals(ev.get(0).end(), ev.get(1).start());
    }

    @Test
    void queueDepthDelaysFetchAndSemaphoresDelayStart() {
        // LD queue of depth 4: LD instruction #6 (pc 6) is fetched only when #2 (pc 2) starts, after the long load.
        Program p = TestPrograms.tiny().asm("ld.set esz=4096\nld dram=0 sram=0\nld.sync\nld.sync\nld.sync\nld.sync\n"
                + "ld.sync\nex.sync\nfinish").build();
        Map<Integer, RetireEvent> ev = events(p, false);
        assertEquals(528, ev.get(2).start());
        assertEquals(528, ev.get(6).fetch());
        assertEquals(529, ev.get(7).fetch(), "fetch is in order: ex.sync waits behind the blocked LD instruction");
        assertEquals(529, ev.get(7).start());
        Machine m = new Machine(p);
        m.run();
        assertEquals(529, m.perfReport().engines().get(2).stallFetch());

        // A semaphore token arrives at the end of its signalling instruction.
        ev = events(TestPrograms.tiny().asm("ld.set esz=64\nld dram=0 sram=0 signal=3\nex.sync wait=3\nfinish").build(), false);
        assertEquals(ev.get(1).end(), ev.get(2).start());
        assertEquals(4 + 10 + 1 + 8, duration(ev.get(1)));
    }

    @ParameterizedTest(name = "serial={0}")
    @ValueSource(booleans = {false, true})
    void reportInvariants(boolean serial) {
        Pipeline pl = new Pipeline(8, 5);
        Program p = pl.twoLayers(TestPrograms.TINY, 3);
        Machine m = new Machine(p, SimOptions.defaults().withSerial(serial));
        List<RetireEvent> events = new ArrayList<>();
        m.addListener(new MachineListener() {
            @Override
            public void onRetire(RetireEvent e) {
                events.add(e);
            }
        });
        m.run();
        PerfReport r = m.perfReport();
        long total = r.totalCycles();
        assertEquals(events.stream().mapToLong(RetireEvent::end).max().orElseThrow(), total);
        assertEquals(List.of(), PerfInvariants.violations(r));
        assertEquals(List.of("first", "second", "(none)"), r.layers().stream().map(LayerStats::name).toList());
        assertEquals(3L * Pipeline.M * Pipeline.N * Pipeline.K, r.layers().get(0).macs());
        assertEquals(5L * Pipeline.M * Pipeline.N * Pipeline.K, r.layers().get(1).macs());
        assertEquals(3L * (64 + 32), r.layers().get(0).dramBytes());
        assertEquals(r.layers().stream().mapToLong(LayerStats::macs).sum(), r.total().macs());
        assertEquals(p.instructionCount(), r.instructions());
        if (serial) {
            for (int i = 1; i < events.size(); i++) {
                assertTrue(events.get(i).start() >= events.get(i - 1).end(), "serial: one instruction at a time");
                assertEquals(events.get(i - 1).pc() + 1, events.get(i).pc(), "serial: program order");
            }
        }
    }

    @Test
    void reportAndTraceAreDeterministicAndRoundTrip() throws Exception {
        Program p = new Pipeline(6, 9).twoLayers(TestPrograms.TINY, 2);
        String[] json = new String[2];
        String[] trace = new String[2];
        for (int i = 0; i < 2; i++) {
            ChromeTrace t = new ChromeTrace(p);
            SimResult r = Simulator.run(p, Map.of(), SimOptions.defaults(), t);
            json[i] = PerfJson.write(r.perfReport());
            trace[i] = t.toJson();
            assertEquals(p.instructionCount(), t.size());
        }
        assertEquals(json[0], json[1]);
        assertEquals(trace[0], trace[1]);
        PerfReport back = PerfJson.read(json[0]);
        assertEquals(json[0], PerfJson.write(back));
        assertTrue(json[0].startsWith("{\n  \"hwName\" : \"tiny\""), json[0]);

        JsonNode root = new ObjectMapper().readTree(trace[0]);
        List<JsonNode> complete = new ArrayList<>();
        root.get("traceEvents").forEach(e -> {
            if (e.get("ph").asText().equals("X")) complete.add(e);
        });
        assertEquals(p.instructionCount(), complete.size());
        JsonNode conv = complete.stream().filter(e -> e.get("name").asText().equals("ex.conv")).findFirst().orElseThrow();
        double clock = p.hwConfig().clockMhz();
        assertEquals(conv.get("args").get("start_cycle").asLong() / clock, conv.get("ts").asDouble(), 1e-12);
        assertEquals("first", conv.get("args").get("layer").asText());
        assertEquals(2, conv.get("tid").asInt(), "EX track");

        PerfReport r = back;
        String csv = PerfCsv.layers(r);
        assertTrue(csv.startsWith("layer,name,instructions,start,end,cycles,macs,dram_bytes,mac_utilisation,t_mac,t_dram,bound,limit,"
                + "t_sram,mapping_efficiency,"));
        assertEquals(r.layers().size() + 2, csv.split("\n").length);
        assertTrue(csv.contains("\n-1,total,"), csv);
        assertEquals(6, PerfCsv.engines(r).split("\n").length);
        String text = PerfText.render(r);
        assertTrue(text.contains(" first "), text);
        assertTrue(text.lines().anyMatch(l -> l.startsWith("-      total")), text);
    }

    @Test
    void goldenPerfText() throws Exception {
        Program p = new Pipeline(6, 42).twoLayers(TestPrograms.TINY, 3);
        String text = PerfText.render(Simulator.run(p, Map.of(), SimOptions.defaults()).perfReport());
        // Without the first line: it carries the hw hash, which changes whenever the registry grows.
        Golden.check("pipeline-tiny.perf.txt", text.substring(text.indexOf('\n') + 1));
    }

    @Test
    void fetchWidthAndOutputStationaryArray() {
        HwConfig two = TestPrograms.TINY.withOverride("fetch.per_cycle=2");
        Map<Integer, RetireEvent> ev = events(TestPrograms.on(two).asm("nop\nld.sync\nex.sync\npp.sync\nfinish").build(), false);
        assertEquals(List.of(0L, 0L, 1L, 1L, 2L), List.of(ev.get(0).fetch(), ev.get(1).fetch(), ev.get(2).fetch(),
                ev.get(3).fetch(), ev.get(4).fetch()));

        // systolic-os, 32x32: P = 8x8 = 64 pixels, 40 filters, K = 3x3x3 = 27:
        // ceil(64/32) * ceil(40/32) folds of (32 + 32 + 27 - 2) cycles.
        HwConfig os = HwConfig.preset("systolic-32").withOverride("ex.model=systolic-os");
        String body = Elements.sets("ex", "ih", 10, "iw", 10, "ic", 3, "oh", 8, "ow", 8, "oc", 40, "kh", 3, "kw", 3,
                "gic", 3, "goc", 40) + "ex.conv x=0 w=0x1000 acc=0x2000 xt=u8 wt=s8\nfinish";
        ev = events(TestPrograms.on(os).asm(body).build(), false);
        RetireEvent conv = ev.values().stream().filter(e -> e.insn().op() == Opcode.EX_CONV).findFirst().orElseThrow();
        assertEquals(2 * 2 * (32 + 32 + 27 - 2), duration(conv));
    }

    @Test
    void systolicPresetReproducesScaleSimAlexNetConv1() {
        // AlexNet conv1 on a 32x32 weight-stationary array (SCALE-Sim v2 golden: 112,283 cycles, 91.68 %):
        // 224x224x3 input, 11x11 kernel, stride 4, 96 filters, 55x55 outputs, no padding.
        HwConfig hw = HwConfig.preset("systolic-32");
        String body = Elements.sets("ex", "ih", 224, "iw", 224, "ic", 3, "oh", 55, "ow", 55, "oc", 96, "kh", 11, "kw", 11,
                "sh", 4, "sw", 4, "gic", 3, "goc", 96) + "ex.conv x=0 w=0x30000 acc=0x40000 xt=u8 wt=s8\nfinish";
        Map<Integer, RetireEvent> ev = events(TestPrograms.on(hw).asm(body).build(), false);
        RetireEvent conv = ev.values().stream().filter(e -> e.insn().op() == Opcode.EX_CONV).findFirst().orElseThrow();
        long cycles = duration(conv);
        assertEquals(112_283, cycles, 112_283 * 0.01);
        double util = (double) conv.metrics().macs() / (cycles * hw.exRows() * hw.exCols());
        assertEquals(0.9168, util, 0.001);
    }
}
