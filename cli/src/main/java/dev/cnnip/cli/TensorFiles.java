package dev.cnnip.cli;

import dev.cnnip.onnx.TensorProtos;
import dev.cnnip.program.Program;
import dev.cnnip.tensor.AtomicFiles;
import dev.cnnip.tensor.Npy;
import dev.cnnip.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reading {@code --input NAME=FILE} tensors (.npy or ONNX TensorProto .pb) and writing outputs as .npy. */
final class TensorFiles {
    private TensorFiles() {}

    /** Reads {@code NAME=FILE} specs; a bare FILE names the program's only input. */
    static Map<String, Tensor> readInputs(List<String> specs, Program p) {
        return readInputs(specs, p, null);
    }

    /**
     * Reads {@code NAME=FILE} specs (.npy, .pb, or an image turned into the input's tensor with
     * {@code pp}); a bare FILE names the program's only input.
     */
    static Map<String, Tensor> readInputs(List<String> specs, Program p, dev.cnnip.compiler.calib.Preprocess pp) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (String s : specs) {
            int eq = s.indexOf('=');
            String name;
            Path file;
            if (eq > 0) {
                name = s.substring(0, eq);
                file = Path.of(s.substring(eq + 1));
            } else {
                if (p.inputs().isEmpty()) {
                    throw new IllegalArgumentException("--input " + s + ": the program declares no inputs (a listing without "
                            + ".symbol and .input lines assembles into one)");
                }
                if (p.inputs().size() != 1) {
                    throw new IllegalArgumentException("--input " + s + ": name the input (NAME=FILE); the program has inputs "
                            + String.join(", ", p.inputs()));
                }
                name = p.inputs().get(0);
                file = Path.of(s);
            }
            if (!p.inputs().contains(name)) {
                throw new IllegalArgumentException("--input " + name + ": the program has no input '" + name + "' (inputs: "
                        + String.join(", ", p.inputs()) + ")");
            }
            if (dev.cnnip.compiler.calib.ImageTensors.isImage(file)) {
                dev.cnnip.program.Symbol sym = p.symbol(name).orElseThrow();
                out.put(name, dev.cnnip.compiler.calib.ImageTensors.load(file,
                        pp == null ? dev.cnnip.compiler.calib.Preprocess.DEFAULT : pp,
                        dev.cnnip.compiler.calib.InputSpec.of(name, sym.dtype(), sym.shape())));
            } else {
                out.put(name, read(file));
            }
        }
        for (String in : p.inputs()) {
            if (!out.containsKey(in)) throw new IllegalArgumentException("missing --input " + in + "=FILE");
        }
        return out;
    }

    /** A tensor from a .npy or .pb file; errors name the file. */
    static Tensor read(Path file) {
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException(file + ": no such file");
        String n = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        try {
            if (n.endsWith(".npy")) return Npy.read(file);
            if (n.endsWith(".pb")) return TensorProtos.read(file);
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        throw new IllegalArgumentException(file + ": unknown tensor file type (use .npy or .pb)");
    }

    /** A file name for a tensor name: characters other than letters, digits, '.', '_' and '-' become '_'. */
    static String fileName(String tensorName) {
        StringBuilder sb = new StringBuilder();
        for (char c : tensorName.toCharArray()) {
            sb.append(Character.isLetterOrDigit(c) && c < 128 || c == '.' || c == '_' || c == '-' ? c : '_');
        }
        return sb.toString();
    }

    /** Writes each tensor as DIR/&lt;name&gt;.npy, each file atomically. */
    static void writeOutputs(Path dir, Map<String, Tensor> outputs) throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) throw new IllegalArgumentException("--out " + dir + ": not a folder");
        Files.createDirectories(dir);
        for (Map.Entry<String, Tensor> e : outputs.entrySet()) {
            AtomicFiles.write(dir.resolve(fileName(e.getKey()) + ".npy"), Npy.toBytes(e.getValue()));
        }
    }
}
