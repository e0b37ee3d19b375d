package dev.cnnip.compiler.calib;

import dev.cnnip.tensor.Tensor;
import java.nio.file.Path;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;

/**
 * Calibration items (one feed per item: graph input name to tensor) read from files, as a list that
 * loads an item when {@link #get} asks for it and keeps nothing: 1000 images of 320×320×3 floats
 * would take 1.2 GB at once. Every {@code get} reads and checks the item again.
 *
 * <p>What a source path may be ({@link #open(Path, Map, Preprocess, int)}):
 * <ul>
 * <li>an image ({@code .png}, {@code .jpg}/{@code .jpeg}, {@code .bmp}) or a folder of them, taken in
 *     file name order and converted by the {@link Preprocess} spec ({@link ImageTensors});</li>
 * <li>a {@code .npy} batch: the first axis counts items, the rest is the input's shape without its
 *     batch dimension, or with batch 1; the element type must be the input's;</li>
 * <li>a {@code .pb} file (one ONNX {@code TensorProto}) or a folder of them, one item each, in file
 *     name order;</li>
 * <li>a folder of ONNX test-style folders {@code test_data_set_*}, one item each, in which
 *     {@code input_K.pb} feeds the K-th graph input.</li>
 * </ul>
 * In a folder, files of other kinds and names starting with {@code .} are ignored; kinds do not mix.
 *
 * <p>A model with several inputs takes either one path that names the inputs itself (test-style folders,
 * or a {@code .pb} folder whose tensor names are input names, the k-th file of each input making item k)
 * or one source per input, {@code NAME=PATH} ({@link #open(List, Map, Preprocess, int)}); all sources
 * must hold the same number of items.
 *
 * <p>Problems with the structure (missing path, empty folder, wrong {@code .npy} shape or type, mixed
 * kinds, item counts that differ) are found by {@code open}; problems with one item (an image that does
 * not decode, a {@code .pb} of the wrong shape, a NaN) when that item is loaded. Either way the error is
 * one {@link CalibrationDataException} naming the file. Nothing is written.
 *
 * <p>{@code equals} and {@code hashCode} are identity-based: comparing contents would load every item.
 */
public final class CalibrationData extends AbstractList<Map<String, Tensor>> implements RandomAccess {
    private final String label;
    private final Map<String, TensorSource> columns;
    private final int total;
    private final int size;

    private CalibrationData(String label, Map<String, TensorSource> columns, int limit) {
        this.label = label;
        this.columns = columns;
        int n = -1;
        String first = null;
        for (Map.Entry<String, TensorSource> e : columns.entrySet()) {
            int k = e.getValue().size();
            if (n >= 0 && k != n) {
                throw new CalibrationDataException(label + ": " + n + " items for input '" + first + "' but " + k
                        + " for input '" + e.getKey() + "'");
            }
            n = k;
            first = e.getKey();
        }
        if (n <= 0) throw new CalibrationDataException(label + ": no calibration items");
        this.total = n;
        this.size = limit > 0 ? Math.min(limit, n) : n;
    }

    /**
     * Opens one path that feeds the whole model (kinds in the class comment).
     *
     * @param inputs the model's inputs ({@link InputSpec#of})
     * @param pp     how images become tensors (ignored for other kinds)
     * @param limit  use only the first {@code limit} items; 0 for all
     * @throws CalibrationDataException naming the path at fault
     */
    public static CalibrationData open(Path data, Map<String, InputSpec> inputs, Preprocess pp, int limit) {
        checkArgs(inputs, limit);
        return new CalibrationData(data.toString(), SourceFinder.whole(data, inputs, pp), limit);
    }

    /**
     * Opens the calibration sources as given on a command line ({@code --calib}): either one
     * {@code PATH} for the whole model, or {@code NAME=PATH} for each graph input (a text is
     * {@code NAME=PATH} when the part before its first {@code =} is an input name).
     *
     * @throws CalibrationDataException for a missing, repeated or mixed naming, or bad data
     */
    public static CalibrationData open(List<String> sources, Map<String, InputSpec> inputs, Preprocess pp, int limit) {
        checkArgs(inputs, limit);
        if (sources.isEmpty()) throw new CalibrationDataException("no calibration data given");
        Map<String, Path> named = new LinkedHashMap<>();
        List<String> unnamed = new ArrayList<>();
        for (String s : sources) {
            int eq = s.indexOf('=');
            String name = eq < 0 ? null : s.substring(0, eq);
            if (name != null && inputs.containsKey(name)) {
                if (named.put(name, Path.of(s.substring(eq + 1))) != null) {
                    throw new CalibrationDataException(s + ": input '" + name + "' is given calibration data twice");
                }
            } else {
                unnamed.add(s);
            }
        }
        if (named.isEmpty() && unnamed.size() == 1) return open(Path.of(unnamed.get(0)), inputs, pp, limit);
        if (!unnamed.isEmpty()) {
            throw new CalibrationDataException(unnamed.get(0) + ": give one calibration source for the whole model, or NAME=DATA"
                    + " for each input (inputs: " + String.join(", ", inputs.keySet()) + ")");
        }
        Map<String, TensorSource> columns = new LinkedHashMap<>();
        for (InputSpec in : inputs.values()) {
            Path p = named.get(in.name());
            if (p == null) throw new CalibrationDataException("no calibration data for input '" + in.name() + "' (give " + in.name() + "=DATA)");
            columns.put(in.name(), SourceFinder.column(p, in, pp));
        }
        return new CalibrationData(String.join(", ", sources), columns, limit);
    }

    private static void checkArgs(Map<String, InputSpec> inputs, int limit) {
        if (inputs.isEmpty()) throw new CalibrationDataException("the model has no inputs to feed");
        if (limit < 0) throw new CalibrationDataException("calibration limit " + limit + " must be 0 (all) or more");
    }

    /** Items in use: all of them, or the first {@code limit}. */
    @Override
    public int size() {
        return size;
    }

    /** Items the sources hold, before the limit. */
    public int available() {
        return total;
    }

    /**
     * Loads item {@code i}: one checked tensor per input, in graph input order.
     *
     * @throws CalibrationDataException naming the file when the item is bad
     */
    @Override
    public Map<String, Tensor> get(int i) {
        if (i < 0 || i >= size) throw new IndexOutOfBoundsException("item " + i + " of " + size);
        Map<String, Tensor> feed = new LinkedHashMap<>();
        for (Map.Entry<String, TensorSource> e : columns.entrySet()) feed.put(e.getKey(), e.getValue().load(i));
        return Collections.unmodifiableMap(feed);
    }

    /** Where item {@code i} comes from, e.g. {@code digits.npy item 3} or {@code a.png, b.npy item 3}. */
    public String where(int i) {
        List<String> parts = new ArrayList<>();
        for (TensorSource s : columns.values()) parts.add(s.where(i));
        return String.join(", ", parts);
    }

    /** A summary such as {@code "100 of 1000 items from digits.npy"}. */
    public String describe() {
        return (size == total ? size + " item" + (size == 1 ? "" : "s") : size + " of " + total + " items") + " from " + label;
    }

    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }

    @Override
    public String toString() {
        return describe();
    }
}
