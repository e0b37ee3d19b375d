package dev.cnnip.compiler.layer;

import dev.cnnip.compiler.ir.GraphException;
import dev.cnnip.compiler.ir.Node;
import dev.cnnip.tensor.Tensor;
import java.util.Arrays;
import java.util.function.IntFunction;

/**
 * A strided window of a tensor, resolved for every axis (ONNX Slice after clamping): output element
 * {@code i} along axis {@code a} is input element {@code starts[a] + i·steps[a]}, for
 * {@code 0 <= i < sizes[a]}. Axes a Slice does not name have start 0, step 1 and the full size.
 *
 * @param starts first input index per axis, in {@code [0, dim)} (any value when {@code sizes[a] = 0})
 * @param steps  input index step per axis, non-zero (negative: backwards)
 * @param sizes  output size per axis, {@code >= 0}
 */
public record SliceAttrs(int[] starts, int[] steps, int[] sizes) {
    public SliceAttrs {
        if (starts.length != steps.length || starts.length != sizes.length) {
            throw new IllegalArgumentException("starts, steps and sizes must have one value per axis");
        }
        for (int i = 0; i < steps.length; i++) {
            if (steps[i] == 0) throw new IllegalArgumentException("step 0 on axis " + i);
            if (sizes[i] < 0) throw new IllegalArgumentException("negative size on axis " + i);
        }
        starts = starts.clone();
        steps = steps.clone();
        sizes = sizes.clone();
    }

    @Override
    public int[] starts() {
        return starts.clone();
    }

    @Override
    public int[] steps() {
        return steps.clone();
    }

    @Override
    public int[] sizes() {
        return sizes.clone();
    }

    /** The whole of {@code shape} (start 0, step 1). */
    public static SliceAttrs whole(int[] shape) {
        int[] ones = new int[shape.length];
        Arrays.fill(ones, 1);
        return new SliceAttrs(new int[shape.length], ones, shape);
    }

    /** Sizes along {@code axis} restricted to {@code [start, start + size)}, step 1 (a piece of Split). */
    public SliceAttrs along(int axis, int start, int size) {
        int[] st = starts.clone();
        int[] sz = sizes.clone();
        st[axis] = start;
        sz[axis] = size;
        return new SliceAttrs(st, steps, sz);
    }

    /**
     * The window of an ONNX Slice node over an input of {@code shape}: starts, ends, axes and steps from its
     * inputs 1..4 (opset 10 and later) or its attributes (opset 1). {@code constant} gives the constant value
     * of input {@code i}, or null when it is absent or not a constant; errors name the node.
     */
    public static SliceAttrs of(Node n, int[] shape, IntFunction<Tensor> constant) {
        int r = shape.length;
        long[] starts;
        long[] ends;
        long[] axes = null;
        long[] steps = null;
        if (n.has("starts")) {
            starts = n.attrInts("starts", null);
            ends = n.attrInts("ends", null);
            axes = n.attrInts("axes", null);
        } else {
            starts = values(n, constant, 1, "starts", true);
            ends = values(n, constant, 2, "ends", true);
            axes = values(n, constant, 3, "axes", false);
            steps = values(n, constant, 4, "steps", false);
        }
        if (ends == null || starts.length != ends.length) throw new GraphException(n, "starts and ends differ in length");
        if (axes == null) {
            axes = new long[starts.length];
            for (int i = 0; i < axes.length; i++) axes[i] = i;
        }
        if (axes.length != starts.length || steps != null && steps.length != starts.length) {
            throw new GraphException(n, "starts, ends, axes and steps differ in length");
        }
        SliceAttrs a = whole(shape);
        int[] st = a.starts;
        int[] sp = a.steps;
        int[] sz = a.sizes;
        boolean[] seen = new boolean[r];
        for (int i = 0; i < axes.length; i++) {
            int ax = (int) (axes[i] < 0 ? axes[i] + r : axes[i]);
            if (ax < 0 || ax >= r || seen[ax]) throw new GraphException(n, "axis " + axes[i] + " is out of range or repeated");
            seen[ax] = true;
            long step = steps == null ? 1 : steps[i];
            if (step == 0) throw new GraphException(n, "step 0 on axis " + ax);
            long dim = shape[ax];
            long s = starts[i] < 0 ? starts[i] + dim : starts[i];
            long e = ends[i] < 0 ? ends[i] + dim : ends[i];
            if (step > 0) {
                s = Math.max(0, Math.min(dim, s));
                e = Math.max(0, Math.min(dim, e));
            } else {
                s = Math.max(0, Math.min(dim - 1, s));
                e = Math.max(-1, Math.min(dim - 1, e));
            }
            long size = step > 0 ? Math.max(0, (e - s + step - 1) / step) : Math.max(0, (s - e + (-step) - 1) / (-step));
            st[ax] = (int) s;
            sp[ax] = (int) step;
            sz[ax] = (int) size;
        }
        return new SliceAttrs(st, sp, sz);
    }

    private static long[] values(Node n, IntFunction<Tensor> constant, int i, String what, boolean required) {
        if (i >= n.inputs().size() || n.input(i).isEmpty()) {
            if (required) throw new GraphException(n, what + " is missing");
            return null;
        }
        Tensor t = constant.apply(i);
        if (t == null) throw new GraphException(n, what + " must be a constant (or fold to one at compile time)");
        return t.toLongArray();
    }

    /** Checks the window lies inside {@code shape}; returns the output shape. */
    public int[] outputShape(int[] shape, String who) {
        if (shape.length != sizes.length) {
            throw new GraphException(who + ": slice of rank " + sizes.length + " applied to rank " + shape.length);
        }
        for (int a = 0; a < shape.length; a++) {
            if (sizes[a] == 0) continue;
            long last = starts[a] + (long) (sizes[a] - 1) * steps[a];
            if (starts[a] < 0 || starts[a] >= shape[a] || last < 0 || last >= shape[a]) {
                throw new GraphException(who + ": slice on axis " + a + " (start " + starts[a] + ", step " + steps[a] + ", size "
                        + sizes[a] + ") leaves the input's " + shape[a]);
            }
        }
        return sizes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SliceAttrs s && Arrays.equals(starts, s.starts) && Arrays.equals(steps, s.steps)
                && Arrays.equals(sizes, s.sizes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(starts) * 31 * 31 + Arrays.hashCode(steps) * 31 + Arrays.hashCode(sizes);
    }

    @Override
    public String toString() {
        return "SliceAttrs[starts=" + Arrays.toString(starts) + ", steps=" + Arrays.toString(steps) + ", sizes="
                + Arrays.toString(sizes) + "]";
    }
}
