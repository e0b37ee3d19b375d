package dev.cnnip.cli;

import dev.cnnip.program.Program;
import dev.cnnip.program.ProgramFile;
import dev.cnnip.program.ProgramListing;
import dev.cnnip.tensor.AtomicFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code cnnip disasm PROG.cnnip [--full] [-o FILE.s]}; the listing is UTF-8, as {@code asm} reads it. */
@Command(name = "disasm", mixinStandardHelpOptions = true, description = "Disassemble a .cnnip program.")
final class DisasmCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PROG.cnnip")
    Path program;

    @Option(names = "--full", description = "Print a complete listing (machine, DRAM data, symbols, layers) that 'cnnip asm' assembles back into the same program.")
    boolean full;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE.s", description = "Write the listing to FILE.s instead of standard output.")
    Path output;

    @Override
    public Integer call() throws Exception {
        Program p = ProgramFile.read(program);
        String text = full ? ProgramListing.full(p) : ProgramListing.instructions(p);
        if (output != null) {
            AtomicFiles.write(output, text.getBytes(StandardCharsets.UTF_8));
            spec.commandLine().getOut().printf("%s: %d instructions%s%n", output, p.instructionCount(), full ? ", full listing" : "");
        } else {
            spec.commandLine().getOut().print(text);
            spec.commandLine().getOut().flush();
        }
        return 0;
    }
}
