package dev.cnnip.cli;

import dev.cnnip.program.Program;
import dev.cnnip.program.ProgramFile;
import dev.cnnip.tensor.Tensor;
import dev.cnnip.vectors.InstructionVectors;
import dev.cnnip.vectors.VectorExporter;
import dev.cnnip.vectors.VectorOptions;
import dev.cnnip.vectors.VectorVerifier;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code cnnip vectors PROG.cnnip --input NAME=FILE … -o DIR}: golden test vectors for hardware teams;
 * {@code cnnip vectors --per-instruction -o DIR}: unit vectors for every opcode;
 * {@code cnnip vectors verify DIR [--dut DUMPDIR]}: re-checks a vector set or compares a device dump.
 */
@Command(name = "vectors", mixinStandardHelpOptions = true,
        description = "Export golden test vectors of a program run (layout: README, section 'Golden test vectors'), "
                + "or unit vectors for every opcode with --per-instruction.",
        subcommands = VectorsCommand.Verify.class)
final class VectorsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "PROG.cnnip")
    Path program;

    @Option(names = "--input", paramLabel = "NAME=FILE", description = "An input: .npy, TensorProto .pb, or an image with --preprocess; repeatable.")
    List<String> inputs = new ArrayList<>();

    @Option(names = "--preprocess", paramLabel = "SPEC", defaultValue = "", description = "How an image input becomes a tensor.")
    String preprocess;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", description = "Folder to create (written atomically).")
    Path out;

    @Option(names = "--layers", paramLabel = "A,B", split = ",", description = "Only these layers (names or indices).")
    List<String> layers = new ArrayList<>();

    @Option(names = "--format", paramLabel = "npy,hex,bin", defaultValue = "npy,hex",
            description = "Layer tensor encodings (default: ${DEFAULT-VALUE}); hex also writes dram/*.hex, bin sram.bin.")
    String format;

    @Option(names = "--seeds", paramLabel = "N", description = "N seeded random inputs (seeds 0..N-1) instead of --input; one set per seed-NNN folder.")
    Integer seeds;

    @Option(names = "--per-instruction", description = "Unit vectors for every opcode of the ISA table (directed and seeded random).")
    boolean perInstruction;

    @Option(names = "--random", paramLabel = "N", defaultValue = "2", description = "Random vectors per opcode with --per-instruction (default: ${DEFAULT-VALUE}).")
    int random;

    @Option(names = "--force", description = "Replace DIR if it exists (after the new set is complete).")
    boolean force;

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        long t0 = System.nanoTime();
        if (out == null) throw new ParameterException(spec.commandLine(), "missing -o DIR");
        if (perInstruction) {
            if (program != null || !inputs.isEmpty() || seeds != null) {
                throw new ParameterException(spec.commandLine(), "--per-instruction takes no program, --input or --seeds");
            }
            InstructionVectors.Summary s = InstructionVectors.export(out, random, force);
            o.printf(Locale.ROOT, "%s: %d unit vectors for %d opcodes (%d files, %,d bytes) in %.1f s%n", out, s.vectors(),
                    s.opcodes(), s.files(), s.bytes(), (System.nanoTime() - t0) / 1e9);
            return 0;
        }
        if (program == null) throw new ParameterException(spec.commandLine(), "missing PROG.cnnip (or --per-instruction)");
        VectorOptions opts = new VectorOptions(layers, VectorOptions.parseFormats(format));
        Program p = ProgramFile.read(program);
        VectorExporter.Summary s;
        if (seeds != null) {
            if (!inputs.isEmpty()) throw new ParameterException(spec.commandLine(), "--seeds replaces --input; give one of them");
            s = VectorExporter.exportSeeds(p, seeds, opts, out, force, VectorExporter.FileListener.NONE);
        } else {
            Map<String, Tensor> feeds = TensorFiles.readInputs(inputs, p,
                    preprocess.isEmpty() ? null : dev.cnnip.compiler.calib.Preprocess.parse(preprocess));
            Map<String, String> origins = new LinkedHashMap<>();
            for (String spec : inputs) {
                int eq = spec.indexOf('=');
                if (eq > 0) origins.put(spec.substring(0, eq), Path.of(spec.substring(eq + 1)).getFileName().toString());
            }
            s = VectorExporter.export(p, new VectorExporter.InputSet(feeds, origins), opts, out, force,
                    VectorExporter.FileListener.NONE);
        }
        o.printf(Locale.ROOT, "%s: %d set(s), %d layers, %d files, %,d bytes; %,d instructions retired, %,d expected cycles (%.1f s)%n",
                out, s.sets(), s.layers(), s.files(), s.bytes(), s.instructions(), s.cycles(), (System.nanoTime() - t0) / 1e9);
        for (String n : s.notes()) o.println("  note: " + n);
        return 0;
    }

    /** {@code cnnip vectors verify DIR [--dut DUMPDIR]}. */
    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Re-check a vector set (every file against the manifest's SHA-256, then a fresh ISS run built "
                    + "from the vectors alone, not the .cnnip), or with --dut compare a device dump with the vectors.")
    static final class Verify implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "DIR")
        Path dir;

        @Option(names = "--dut", paramLabel = "DUMPDIR", description = "A device-under-test dump in the vectors' layout (any subset of the files).")
        Path dut;

        @Override
        public Integer call() throws Exception {
            PrintWriter o = spec.commandLine().getOut();
            VectorVerifier.Report r;
            if (dut != null) {
                r = VectorVerifier.compareDut(dir, dut);
            } else if (java.nio.file.Files.isDirectory(dir.resolve("opcodes"))) {
                r = InstructionVectors.verify(dir);
            } else {
                r = VectorVerifier.verify(dir);
            }
            r.lines().forEach(o::println);
            return r.ok() ? 0 : Cnnip.FAILED;
        }
    }
}
