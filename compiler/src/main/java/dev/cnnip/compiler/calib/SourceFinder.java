package dev.cnnip.compiler.calib;

import dev.cnnip.onnx.OnnxException;
import dev.cnnip.onnx.TensorProtos;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Tells what kind of calibration data a path holds and opens it as one {@link TensorSource} per input. */
final class SourceFinder {
    private static final Pattern INPUT_PB = Pattern.compile("input_(\\d+)\\.pb");
    static final String KINDS = ".png/.jpg/.jpeg/.bmp images, .pb tensors or test_data_set_* folders";

    private SourceFinder() {}

    /** Sources for every input from one path given for the whole model. */
    static Map<String, TensorSource> whole(Path data, Map<String, InputSpec> inputs, Preprocess pp) {
        requireExists(data);
        if (Files.isDirectory(data)) {
            Listing l = list(data);
            if (!l.sets.isEmpty()) return testSets(data, l.sets, inputs);
            if (!l.pbs.isEmpty() && inputs.size() > 1) return namedPbs(data, l.pbs, inputs);
        }
        if (inputs.size() != 1) {
            throw new CalibrationDataException(data + ": the model has " + inputs.size() + " inputs ("
                    + String.join(", ", inputs.keySet()) + "); give one source per input as NAME=DATA");
        }
        InputSpec only = inputs.values().iterator().next();
        Map<String, TensorSource> out = new LinkedHashMap<>();
        out.put(only.name(), column(data, only, pp));
        return out;
    }

    /** The source of one input: an image or image folder, a .npy batch, a .pb file or a folder of them. */
    static TensorSource column(Path data, InputSpec input, Preprocess pp) {
        requireExists(data);
        if (Files.isDirectory(data)) {
            Listing l = list(data);
            if (!l.sets.isEmpty()) {
                throw new CalibrationDataException(data + ": test_data_set_* folders feed the whole model; give the folder without NAME=");
            }
            if (!l.pbs.isEmpty()) return new PbFilesSource(l.pbs, input, false);
            return new ImageFilesSource(l.images, input, pp);
        }
        String name = data.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".npy")) return new NpyBatchSource(data, input);
        if (name.endsWith(".pb")) return new PbFilesSource(List.of(data), input, false);
        if (ImageTensors.isImage(data)) return new ImageFilesSource(List.of(data), input, pp);
        throw new CalibrationDataException(data + ": not calibration data (expected a folder, an image, a .npy batch or a .pb tensor)");
    }

    private static void requireExists(Path data) {
        if (!Files.exists(data)) throw new CalibrationDataException(data + ": no such file or folder");
    }

    /** A folder's usable entries by kind, each sorted by file name; other files are ignored. */
    private record Listing(List<Path> sets, List<Path> pbs, List<Path> images) {}

    private static Listing list(Path dir) {
        List<Path> entries;
        try (Stream<Path> s = Files.list(dir)) {
            entries = s.filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
        } catch (IOException e) {
            throw new CalibrationDataException(dir + ": cannot list the folder: " + e.getMessage(), e);
        }
        List<Path> sets = new ArrayList<>();
        List<Path> pbs = new ArrayList<>();
        List<Path> images = new ArrayList<>();
        for (Path p : entries) {
            String n = p.getFileName().toString();
            if (Files.isDirectory(p)) {
                if (n.startsWith("test_data_set_")) sets.add(p);
            } else if (n.toLowerCase(Locale.ROOT).endsWith(".pb")) {
                pbs.add(p);
            } else if (ImageTensors.isImage(p)) {
                images.add(p);
            }
        }
        int kinds = (sets.isEmpty() ? 0 : 1) + (pbs.isEmpty() ? 0 : 1) + (images.isEmpty() ? 0 : 1);
        if (kinds == 0) throw new CalibrationDataException(dir + ": no calibration data in the folder (" + KINDS + ")");
        if (kinds > 1) {
            throw new CalibrationDataException(dir + ": the folder mixes " + (sets.isEmpty() ? "" : "test_data_set_* folders, ")
                    + (pbs.isEmpty() ? "" : ".pb tensors, ") + (images.isEmpty() ? "" : "images, ") + "keep one kind per folder");
        }
        return new Listing(sets, pbs, images);
    }

    /** ONNX test-style folders: in each, {@code input_K.pb} feeds the K-th graph input. */
    private static Map<String, TensorSource> testSets(Path dir, List<Path> sets, Map<String, InputSpec> inputs) {
        List<InputSpec> order = new ArrayList<>(inputs.values());
        List<List<Path>> perInput = new ArrayList<>();
        for (int k = 0; k < order.size(); k++) perInput.add(new ArrayList<>());
        for (Path set : sets) {
            List<Path> files = new ArrayList<>();
            try (Stream<Path> s = Files.list(set)) {
                s.filter(p -> INPUT_PB.matcher(p.getFileName().toString()).matches()).forEach(files::add);
            } catch (IOException e) {
                throw new CalibrationDataException(set + ": cannot list the folder: " + e.getMessage(), e);
            }
            files.sort(Comparator.comparingInt(SourceFinder::inputIndex));
            for (int k = 0; k < files.size(); k++) {
                if (inputIndex(files.get(k)) != k) throw new CalibrationDataException(set + ": input_" + k + ".pb is missing");
            }
            if (files.size() != order.size()) {
                throw new CalibrationDataException(set + ": " + files.size() + " input_*.pb file" + (files.size() == 1 ? "" : "s")
                        + ", but the model has " + order.size() + " input" + (order.size() == 1 ? "" : "s"));
            }
            for (int k = 0; k < files.size(); k++) perInput.get(k).add(files.get(k));
        }
        Map<String, TensorSource> out = new LinkedHashMap<>();
        for (int k = 0; k < order.size(); k++) out.put(order.get(k).name(), new PbFilesSource(perInput.get(k), order.get(k), true));
        return out;
    }

    private static int inputIndex(Path p) {
        Matcher m = INPUT_PB.matcher(p.getFileName().toString());
        if (!m.matches()) throw new IllegalStateException(p.toString());
        try {
            return Integer.parseInt(m.group(1));
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE;
        }
    }

    /** A flat .pb folder for several inputs: each tensor's name says which input it feeds. */
    private static Map<String, TensorSource> namedPbs(Path dir, List<Path> pbs, Map<String, InputSpec> inputs) {
        Map<String, List<Path>> byInput = new LinkedHashMap<>();
        for (String name : inputs.keySet()) byInput.put(name, new ArrayList<>());
        for (Path p : pbs) {
            String name;
            try {
                name = TensorProtos.nameOf(p);
            } catch (OnnxException e) {
                throw new CalibrationDataException(e.getMessage(), e);
            }
            List<Path> list = byInput.get(name);
            if (list == null) {
                throw new CalibrationDataException(p + ": tensor '" + name + "' is not a model input (inputs: "
                        + String.join(", ", inputs.keySet()) + ")");
            }
            list.add(p);
        }
        Map<String, TensorSource> out = new LinkedHashMap<>();
        int first = -1;
        String firstName = null;
        for (Map.Entry<String, List<Path>> e : byInput.entrySet()) {
            int n = e.getValue().size();
            if (n == 0) throw new CalibrationDataException(dir + ": no .pb tensor named '" + e.getKey() + "' for that input");
            if (first >= 0 && n != first) {
                throw new CalibrationDataException(dir + ": " + first + " tensors for input '" + firstName + "' but " + n
                        + " for '" + e.getKey() + "'");
            }
            first = n;
            firstName = e.getKey();
            out.put(e.getKey(), new PbFilesSource(e.getValue(), inputs.get(e.getKey()), true));
        }
        return out;
    }
}
