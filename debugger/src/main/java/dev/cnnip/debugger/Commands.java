package dev.cnnip.debugger;

import static dev.cnnip.debugger.Cmd.Arg.Kind.COMMAND;
import static dev.cnnip.debugger.Cmd.Arg.Kind.ENGINE;
import static dev.cnnip.debugger.Cmd.Arg.Kind.FILE;
import static dev.cnnip.debugger.Cmd.Arg.Kind.LAYER;
import static dev.cnnip.debugger.Cmd.Arg.Kind.NONE;
import static dev.cnnip.debugger.Cmd.Arg.Kind.OPCODE;
import static dev.cnnip.debugger.Cmd.Arg.Kind.TENSOR;

import dev.cnnip.debugger.Cmd.Arg;
import dev.cnnip.debugger.Cmd.Handler;
import dev.cnnip.isa.Engine;
import dev.cnnip.isa.Opcode;
import dev.cnnip.program.LayerInfo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The console's commands, each declared once (DESIGN section 6); the views are in {@link Views}. */
public final class Commands {
    private Commands() {}

    private static Cmd cmd(String name, List<String> aliases, String usage, String summary, String details,
                           List<Arg> args, boolean repeat, Handler h) {
        return new Cmd(name, aliases, usage, summary, details, List.of(), args, repeat, h);
    }

    private static Cmd group(String name, String usage, String summary, Handler noSub, Cmd... subs) {
        return new Cmd(name, List.of(), usage, summary, "", List.of(subs), List.of(), false, noSub);
    }

    /** Every command, in the order {@code help} lists them. */
    public static List<Cmd> all() {
        List<Cmd> c = new ArrayList<>();
        // ---- execution ----
        c.add(cmd("step", List.of("s"), "[n]", "execute n instructions (default 1) in the machine's order",
                "Prints each retired instruction with its engine, cycle, layer and tile. An empty line repeats it.",
                List.of(Arg.of(NONE)), true, (x, a) -> Views.stop(x, x.session.step(a.isEmpty() ? 1 : Args.count(a.get(0), "step count")))));
        c.add(cmd("stepi", List.of("si"), "<engine>", "run until the given engine retires its next instruction",
                "Engines: ctl, ld, ex, pp, st. Other engines may retire instructions meanwhile (they run in parallel).",
                List.of(Arg.of(ENGINE)), true, (x, a) -> Views.stop(x, x.session.stepEngine(Args.engine(Args.one(a, "stepi <engine>"))))));
        c.add(cmd("continue", List.of("c", "cont"), "", "run until a breakpoint, a watchpoint, the end or Ctrl-C", "",
                List.of(), true, (x, a) -> Views.stop(x, x.session.cont())));
        c.add(group("until", "layer <name|index> | cycle <n>", "run until a layer ends or simulated time reaches a cycle", null,
                cmd("layer", List.of(), "<name|index>", "run until the layer's layer.end retires", "", List.of(Arg.of(LAYER)), false,
                        (x, a) -> Views.stop(x, x.session.untilLayer(Args.layer(x, Args.one(a, "until layer <name|index>")).index()))),
                cmd("cycle", List.of(), "<n>", "run until simulated time reaches cycle n", "", List.of(Arg.of(NONE)), false,
                        (x, a) -> Views.stop(x, x.session.untilCycle(Args.number(Args.one(a, "until cycle <n>"), "cycle"))))));
        c.add(cmd("run", List.of("r"), "", "restart from reset (inputs rewritten, stop points kept) and continue", "",
                List.of(), false, (x, a) -> {
                    x.session.reset();
                    x.out.println("restarted from reset");
                    Views.stop(x, x.session.cont());
                }));
        // ---- stop points ----
        c.add(group("break", "layer <name|index> [begin|end] | pc <n> | op <mnemonic> | cycle <n>", "set a breakpoint",
                (x, a) -> Views.points(x),
                cmd("layer", List.of(), "<name|index> [begin|end]", "stop after the layer's begin (default) or end marker retires", "",
                        List.of(Arg.of(LAYER), Arg.words("begin", "end")), false, (x, a) -> {
                            if (a.isEmpty() || a.size() > 2) throw new UserError("usage: break layer <name|index> [begin|end]");
                            LayerInfo l = Args.layer(x, a.get(0));
                            boolean end = a.size() == 2 && Args.choice(a.get(1), "begin", "end").equals("end");
                            Views.added(x, x.session.add(id -> StopPoint.layer(id, l.index(), l.name(), end)));
                        }),
                cmd("pc", List.of(), "[engine] <n>", "stop before instruction n (a program index) executes", "",
                        List.of(Arg.of(ENGINE)), false, (x, a) -> {
                    if (a.isEmpty() || a.size() > 2) throw new UserError("usage: break pc [engine] <n>");
                    int pc = Args.pc(x, a.get(a.size() - 1));
                    if (a.size() == 2) {
                        Engine e = Args.engine(a.get(0));
                        Engine owner = x.session.machine().instructions().get(pc).engine();
                        if (owner != e) throw new UserError("pc " + pc + " is on engine " + owner.label() + ", not " + e.label());
                    }
                    Views.added(x, x.session.add(id -> StopPoint.pc(id, pc)));
                }),
                cmd("op", List.of(), "<mnemonic>", "stop before any instruction with this opcode executes", "",
                        List.of(Arg.of(OPCODE)), false, (x, a) -> {
                            Opcode op = Args.opcode(Args.one(a, "break op <mnemonic>"));
                            Views.added(x, x.session.add(id -> StopPoint.op(id, op)));
                        }),
                cmd("cycle", List.of(), "<n>", "stop once simulated time reaches cycle n", "", List.of(Arg.of(NONE)), false,
                        (x, a) -> {
                            long cy = Args.number(Args.one(a, "break cycle <n>"), "cycle");
                            Views.added(x, x.session.add(id -> StopPoint.cycle(id, cy)));
                        })));
        c.add(group("watch", "sram|dram <start> <length>", "stop after an instruction writes the range, showing old and new bytes", null,
                cmd("sram", List.of(), "<start> <length>", "watch SRAM bytes [start, start+length)", "", List.of(Arg.of(NONE)), false,
                        (x, a) -> watch(x, a, true)),
                cmd("dram", List.of(), "<start|tensor> [length]", "watch DRAM bytes (a tensor name watches its whole buffer)", "",
                        List.of(Arg.of(TENSOR)), false, (x, a) -> watch(x, a, false))));
        c.add(cmd("delete", List.of("d"), "[id]", "delete a breakpoint or watchpoint (all without an id)", "", List.of(), false,
                (x, a) -> {
                    if (a.isEmpty()) {
                        int n = x.session.points().size();
                        x.session.points().clear();
                        x.out.println("deleted " + n + " breakpoint(s) and watchpoint(s)");
                    } else {
                        StopPoint p = x.session.point((int) Args.number(a.get(0), "id"));
                        x.session.points().remove(p);
                        x.out.println("deleted " + p.id + " (" + p.describe() + ")");
                    }
                }));
        c.add(cmd("disable", List.of(), "<id>", "disable a breakpoint or watchpoint", "", List.of(), false,
                (x, a) -> enable(x, a, false)));
        c.add(cmd("enable", List.of(), "<id>", "enable a breakpoint or watchpoint", "", List.of(), false,
                (x, a) -> enable(x, a, true)));
        // ---- inspection ----
        c.add(group("info", "breakpoints|engines|semaphores|layers|sram", "show the machine's state", null,
                cmd("breakpoints", List.of("break", "b", "watchpoints"), "", "breakpoints and watchpoints with their hits", "",
                        List.of(), false, (x, a) -> Views.points(x)),
                cmd("engines", List.of(), "", "per engine: pc, state, queue depth, the semaphore it waits on", "", List.of(), false,
                        (x, a) -> MachineViews.engines(x)),
                cmd("semaphores", List.of("sem"), "", "the 16 semaphores and the queue heads waiting on them", "", List.of(), false,
                        (x, a) -> MachineViews.semaphores(x)),
                cmd("layers", List.of(), "", "index, name, op, status and cycles so far of every layer", "", List.of(), false,
                        (x, a) -> MachineViews.layers(x)),
                cmd("sram", List.of(), "", "what the SRAM holds now, as far as DMA moved it", "", List.of(), false,
                        (x, a) -> MachineViews.sram(x))));
        c.add(cmd("disas", List.of(), "[pc] [n]", "disassemble n instructions (default 12) from pc, with layer and tile",
                "Without pc, starts a little before the next instruction. Marks: => next, * queued, - retired.",
                List.of(), true, (x, a) -> MachineViews.disas(x, a)));
        c.add(cmd("x", List.of(), "/<n><fmt> sram|dram <address|tensor>", "examine memory: n units, fmt x|d|u|f and size b|h|w",
                "For example x/32xb sram 0x100, x/8dw dram 4096, x/16u dram relu1 (a tensor name means its address).",
                List.of(Arg.words("sram", "dram"), Arg.of(TENSOR)), true, (x, a) -> MachineViews.examine(x, a)));
        // ---- tensors ----
        c.add(cmd("tensor", List.of("t", "p"), "<name|layer>[slice] [raw|dequant] [stats|hist] | sram|dram <addr> as <dtype>[shape] [NHWC]",
                "print a tensor in its logical (NCHW) layout, wherever it lives",
                "Slices are numpy-style: tensor relu1[0,3,:4,:4] dequant. raw (default) shows the stored integers, dequant "
                        + "scale*(q-zero_point) as float32; stats adds count/min/max/mean/std, hist a text histogram. "
                        + "Raw memory as a tensor: tensor sram 0x1000 as u8[1,16,8,8] NHWC (dtypes u8 s8 u16 s16 s32 f32).",
                List.of(Arg.of(TENSOR), Arg.words("raw", "dequant", "stats", "hist"), Arg.words("raw", "dequant", "stats", "hist")),
                false, (x, a) -> TensorViews.tensor(x, a)));
        c.add(cmd("dump", List.of(), "<name|layer>[slice] FILE.npy|.bin|.hex [raw|dequant]",
                "write a tensor (logical layout) to a file: raw in its own dtype, dequant as float32", "",
                List.of(Arg.of(TENSOR), Arg.of(FILE), Arg.words("raw", "dequant")), false, (x, a) -> TensorViews.dump(x, a)));
        // ---- comparison ----
        c.add(cmd("compare", List.of(), "[layer|all]", "compare executed layers with ONNX Runtime (quantized and float models)",
                "vs quantized: exact, or the count of differing elements and the largest difference in codes; vs float "
                        + "(--model): SQNR in dB, cosine similarity and max abs error of the dequantized output.",
                List.of(Arg.of(LAYER)), false, (x, a) -> CompareView.compare(x, a)));
        // ---- timing ----
        c.add(cmd("stats", List.of(), "[layer]", "cycles, utilisation and limiting resource so far", "",
                List.of(Arg.of(LAYER)), false, (x, a) -> TimingViews.stats(x, a)));
        c.add(cmd("timeline", List.of(), "[layer]", "a text Gantt chart of the engines (whole run so far, or one layer)", "",
                List.of(Arg.of(LAYER)), false, (x, a) -> TimingViews.timeline(x, a)));
        c.add(cmd("serial", List.of(), "on|off", "serial mode (each instruction waits for the previous); restarts from reset", "",
                List.of(Arg.words("on", "off")), false, (x, a) -> {
                    if (a.isEmpty()) {
                        x.out.println("serial mode is " + (x.session.options().serial() ? "on" : "off"));
                        return;
                    }
                    boolean on = Args.choice(Args.one(a, "serial on|off"), "on", "off").equals("on");
                    x.session.setSerial(on);
                    x.out.println("serial mode " + (on ? "on" : "off") + "; the machine restarted from reset");
                }));
        // ---- console ----
        c.add(cmd("source", List.of(), "<script>", "run the commands of a script file", "", List.of(Arg.of(FILE)), false,
                (x, a) -> x.console.source(Path.of(Args.one(a, "source <script>")), false)));
        c.add(cmd("help", List.of("h", "?"), "[command]", "list the commands, or describe one", "",
                List.of(Arg.of(COMMAND)), false, (x, a) -> Views.help(x, a)));
        c.add(cmd("quit", List.of("q", "exit"), "", "leave the debugger", "", List.of(), false, (x, a) -> x.quit = true));
        return List.copyOf(c);
    }

    private static void watch(Console.Ctx x, List<String> a, boolean sram) {
        String usage = "watch " + (sram ? "sram" : "dram") + " <start> <length>";
        if (a.isEmpty() || a.size() > 2) throw new UserError("usage: " + usage);
        long start;
        int len;
        var sym = sram ? java.util.Optional.<dev.cnnip.program.Symbol>empty() : x.session.program().symbol(a.get(0));
        if (sym.isPresent()) {
            start = sym.get().address();
            len = a.size() == 2 ? (int) Args.number(a.get(1), "length") : (int) sym.get().bytes();
        } else {
            if (a.size() != 2) throw new UserError("usage: " + usage);
            start = Args.address(x, a.get(0), sram);
            len = (int) Args.number(a.get(1), "length");
        }
        if (len <= 0) throw new UserError("watch: length must be > 0");
        if (!x.session.memory(sram).contains(start, len)) {
            throw new UserError(String.format(Locale.ROOT, "watch: [0x%x, +%d) lies outside %s (%d bytes)", start, len,
                    sram ? "sram" : "dram", x.session.memory(sram).size()));
        }
        Views.added(x, x.session.add(id -> StopPoint.watch(id, sram, start, len)));
    }

    private static void enable(Console.Ctx x, List<String> a, boolean on) {
        StopPoint p = x.session.point((int) Args.number(Args.one(a, (on ? "enable" : "disable") + " <id>"), "id"));
        p.enabled = on;
        x.out.println((on ? "enabled " : "disabled ") + p.id + " (" + p.describe() + ")");
    }

    /** Engine labels for completion. */
    static List<String> engines() {
        return Arrays.stream(Engine.values()).map(Engine::label).toList();
    }
}
