package dev.cnnip.cli;

import dev.cnnip.program.Program;
import dev.cnnip.program.ProgramAssembler;
import dev.cnnip.program.ProgramFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code cnnip asm FILE.s -o PROG.cnnip}. */
@Command(name = "asm", mixinStandardHelpOptions = true, description = "Assemble a program listing (instructions and directives) into a .cnnip program.")
final class AsmCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE.s")
    Path source;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "PROG.cnnip")
    Path output;

    @Mixin
    HwOptions hw;

    @Override
    public Integer call() throws Exception {
        String text;
        try {
            text = Files.readString(source, StandardCharsets.UTF_8);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IllegalArgumentException(source + ": not a text listing (not UTF-8); 'cnnip disasm' reads programs", e);
        }
        Program p;
        try {
            p = ProgramAssembler.assemble(text, hw.resolve());
        } catch (RuntimeException e) {
            throw new IllegalStateException(source + ": " + Cnnip.oneLine(e), e);
        }
        ProgramFile.write(output, p);
        spec.commandLine().getOut().printf("%s: %d instructions%n", output, p.instructionCount());
        return 0;
    }
}
