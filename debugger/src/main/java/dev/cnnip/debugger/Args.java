package dev.cnnip.debugger;

import dev.cnnip.isa.Engine;
import dev.cnnip.isa.Opcode;
import dev.cnnip.program.LayerInfo;
import dev.cnnip.program.Symbol;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Parsing of command arguments; every mistake is a one-line {@link UserError} with a suggestion. */
final class Args {
    private Args() {}

    static String one(List<String> a, String usage) {
        if (a.size() != 1) throw new UserError("usage: " + usage);
        return a.get(0);
    }

    /** A non-negative integer, decimal or {@code 0x} hex. */
    static long number(String s, String what) {
        try {
            long v = s.startsWith("0x") || s.startsWith("0X") ? Long.parseLong(s.substring(2), 16) : Long.parseLong(s);
            if (v < 0) throw new UserError(what + " must be >= 0, got " + s);
            return v;
        } catch (NumberFormatException e) {
            throw new UserError(what + " must be a number, got '" + s + "'");
        }
    }

    static long count(String s, String what) {
        long n = number(s, what);
        if (n < 1) throw new UserError(what + " must be >= 1, got " + s);
        return n;
    }

    static String choice(String s, String... words) {
        for (String w : words) if (w.equals(s)) return w;
        throw UserError.unknown("word", s, List.of(words)).withHint("; expected " + String.join(" or ", words));
    }

    static Engine engine(String s) {
        for (Engine e : Engine.values()) if (e.label().equals(s)) return e;
        throw UserError.unknown("engine", s, Commands.engines());
    }

    static Opcode opcode(String s) {
        for (Opcode o : Opcode.values()) if (o.mnemonic().equals(s)) return o;
        throw UserError.unknown("opcode", s, Arrays.stream(Opcode.values()).map(Opcode::mnemonic).toList());
    }

    static int pc(Console.Ctx x, String s) {
        long pc = number(s, "pc");
        int n = x.session.machine().instructions().size();
        if (pc >= n) throw new UserError("pc " + pc + " is beyond the program (" + n + " instructions, pc 0.." + (n - 1) + ")");
        return (int) pc;
    }

    /** A layer by index or by name (its output tensor's name, as the summary table prints it). */
    static LayerInfo layer(Console.Ctx x, String s) {
        List<LayerInfo> layers = x.session.program().layers();
        if (!s.isEmpty() && s.chars().allMatch(Character::isDigit)) {
            int i = (int) number(s, "layer index");
            if (i >= layers.size()) throw new UserError("layer index " + i + " out of range (0.." + (layers.size() - 1) + ")");
            return layers.get(i);
        }
        for (LayerInfo l : layers) if (l.name().equals(s)) return l;
        for (LayerInfo l : layers) if (l.outputs().contains(s)) return l;
        throw UserError.unknown("layer", s, layers.stream().map(LayerInfo::name).toList());
    }

    /** A tensor by symbol name, else a layer (name or index) meaning its first output. */
    static Symbol symbol(Console.Ctx x, String s) {
        Optional<Symbol> sym = x.session.program().symbol(s);
        if (sym.isPresent()) return sym.get();
        List<LayerInfo> layers = x.session.program().layers();
        boolean isIndex = !s.isEmpty() && s.chars().allMatch(Character::isDigit);
        LayerInfo l = null;
        if (isIndex) {
            l = layer(x, s);
        } else {
            for (LayerInfo li : layers) if (li.name().equals(s)) l = li;
        }
        if (l != null) {
            for (String o : l.outputs()) {
                Optional<Symbol> os = x.session.program().symbol(o);
                if (os.isPresent()) return os.get();
            }
            throw new UserError("layer " + l.index() + " '" + l.name() + "' has no output tensor in memory");
        }
        throw UserError.unknown("tensor", s, x.session.program().symbols().stream().map(Symbol::name).toList());
    }

    /** An address: a number, or (DRAM) a tensor name meaning its first byte. */
    static long address(Console.Ctx x, String s, boolean sram) {
        if (!sram && !s.isEmpty() && !Character.isDigit(s.charAt(0))) return symbol(x, s).address();
        return number(s, "address");
    }
}
