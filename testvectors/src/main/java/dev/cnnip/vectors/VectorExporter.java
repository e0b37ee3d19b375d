package dev.cnnip.vectors;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cnnip.program.Program;
import dev.cnnip.tensor.Tensor;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code cnnip vectors}: exports the golden vectors of a program run (DESIGN.md section 5) into a folder.
 *
 * <p>The folder is built as a hidden sibling {@code .NAME.partial-*} and renamed to {@code NAME} only
 * when complete, {@code manifest.json} written last; an export that is killed leaves at most such a
 * partial folder, never a {@code NAME} folder or a manifest. The same program and inputs always give the
 * same bytes.
 */
public final class VectorExporter {
    private VectorExporter() {}

    /** Called after each file lands in the temporary folder (tests use it to interrupt an export). */
    public interface FileListener {
        void written(String relativePath);

        FileListener NONE = p -> {};
    }

    /**
     * @param dir          the folder written
     * @param files        files written, manifests included
     * @param bytes        their total size
     * @param sets         vector sets (1, or the number of seeds)
     * @param instructions retired instructions of the (first) run
     * @param cycles       expected cycles of the (first) run
     * @param layers       layers exported per set
     * @param notes        what could not be exported
     */
    public record Summary(Path dir, int files, long bytes, int sets, long instructions, long cycles, int layers,
                          List<String> notes) {
        public Summary {
            notes = List.copyOf(notes);
        }
    }

    /** One set of inputs and where they came from (for the manifest): a file name, {@code seed N}, … */
    public record InputSet(Map<String, Tensor> tensors, Map<String, String> origins) {
        public InputSet {
            tensors = new LinkedHashMap<>(tensors);
            origins = new LinkedHashMap<>(origins);
        }
    }

    /** Exports one vector set for {@code inputs} into {@code out}. */
    public static Summary export(Program p, InputSet inputs, VectorOptions opts, Path out, boolean force,
                                 FileListener listener) throws IOException {
        return export(p, List.of(inputs), false, opts, out, force, listener);
    }

    /**
     * Exports {@code seeds} vector sets, one per seeded random input ({@link RandomInputs}, seeds 0 to
     * N−1), into {@code out/seed-000}, {@code out/seed-001}, …
     */
    public static Summary exportSeeds(Program p, int seeds, VectorOptions opts, Path out, boolean force,
                                      FileListener listener) throws IOException {
        if (seeds < 1) throw new IllegalArgumentException("--seeds must be >= 1, got " + seeds);
        List<InputSet> sets = new ArrayList<>();
        for (int s = 0; s < seeds; s++) sets.add(RandomInputs.generate(p, s));
        return export(p, sets, true, opts, out, force, listener);
    }

    private static Summary export(Program p, List<InputSet> sets, boolean subfolders, VectorOptions opts, Path out,
                                  boolean force, FileListener listener) throws IOException {
        Path target = out.toAbsolutePath().normalize();
        Path parent = target.getParent();
        Files.createDirectories(parent);
        if (Files.exists(target) && !force) {
            throw new FileAlreadyExistsException(out + " exists (remove it or pass --force)");
        }
        for (String n : p.inputs()) {
            for (InputSet s : sets) {
                if (!s.tensors().containsKey(n)) throw new IllegalArgumentException("missing input '" + n + "'");
            }
        }
        Path tmp = Files.createTempDirectory(parent, "." + target.getFileName() + ".partial-");
        try {
            int files = 0;
            long bytes = 0;
            List<String> notes = new ArrayList<>();
            long instructions = 0;
            long cycles = 0;
            int layers = 0;
            for (int k = 0; k < sets.size(); k++) {
                InputSet set = sets.get(k);
                String prefix = subfolders ? String.format(Locale.ROOT, "seed-%03d/", k) : "";
                VectorBuilder.Built b = VectorBuilder.build(p, m -> set.tensors().forEach(m::writeInput), opts,
                        inputsNode(p, set));
                for (Map.Entry<String, byte[]> e : b.files().entrySet()) {
                    write(tmp, prefix + e.getKey(), e.getValue());
                    listener.written(prefix + e.getKey());
                }
                byte[] manifest = Manifests.write(b.manifest());
                write(tmp, prefix + VectorBuilder.MANIFEST, manifest);
                files += b.files().size() + 1;
                bytes += b.totalBytes() + manifest.length;
                b.notes().forEach(n -> notes.add(prefix + n));
                if (k == 0) {
                    instructions = b.perf().instructions();
                    cycles = b.perf().totalCycles();
                    layers = b.manifest().get("layers").size();
                }
            }
            publish(tmp, target, force);
            return new Summary(out, files, bytes, sets.size(), instructions, cycles, layers, notes);
        } catch (IOException | RuntimeException | Error e) {
            deleteTree(tmp);
            throw e;
        }
    }


    private static ArrayNode inputsNode(Program p, InputSet set) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        for (String n : p.inputs()) {
            ObjectNode o = a.addObject();
            Tensor t = set.tensors().get(n);
            o.put("name", n);
            o.put("dtype", VectorBuilder.numpyName(t));
            ArrayNode sh = o.putArray("shape");
            for (int d : t.shape()) sh.add(d);
            o.put("origin", set.origins().getOrDefault(n, ""));
        }
        return a;
    }

    private static void write(Path root, String rel, byte[] data) throws IOException {
        Path f = root.resolve(rel);
        Files.createDirectories(f.getParent());
        Files.write(f, data);
    }

    /** Moves the finished temporary folder to {@code target}, replacing an old one only with {@code force}. */
    private static void publish(Path tmp, Path target, boolean force) throws IOException {
        Path old = null;
        if (Files.exists(target)) {
            if (!force) throw new FileAlreadyExistsException(target + " exists (remove it or pass --force)");
            old = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".old-");
            Files.delete(old);
            Files.move(target, old);
        }
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target);
        }
        if (old != null) deleteTree(old);
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) return;
        try (Stream<Path> s = Files.walk(root)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(q);
        }
    }
}
