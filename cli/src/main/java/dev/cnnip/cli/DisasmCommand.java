package dev.cnnip.cli;

import dev.cnnip.program.Program;
import dev.cnnip.program.ProgramFile;
import dev.cnnip.program.ProgramListing;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code cnnip disasm PROG.cnnip}. */
@Command(name = "disasm", mixinStandardHelpOptions = true, description = "Disassemble a .cnnip program.")
final class DisasmCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PROG.cnnip")
    Path program;

    @Option(names = "--full", description = "Print a complete listing (machine, DRAM data, symbols, layers) that 'cnnip asm' assembles back into the same program.")
    boolean full;

    @Override
    public Integer call() throws Exception {
        Program p = ProgramFile.read(program);
        spec.commandLine().getOut().print(full ? ProgramListing.full(p) : ProgramListing.instructions(p));
        return 0;
    }
}
