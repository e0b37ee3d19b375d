package dev.cnnip.debugger;

import dev.cnnip.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A numpy-style basic slice such as {@code [0,3,:4,:4]}, {@code [..., 1:7:2]} or {@code [-1]}: per axis an
 * index (negative counts from the end; drops the axis) or {@code start:stop:step} with numpy's defaults and
 * clamping; {@code ...} stands for as many full axes as needed; missing trailing axes are full.
 */
public final class Slice {
    private sealed interface Item permits Index, Range, Ellipsis {}

    private record Index(int i) implements Item {}

    private record Range(Integer start, Integer stop, Integer step) implements Item {}

    private record Ellipsis() implements Item {}

    private final String text;
    private final List<Item> items;

    private Slice(String text, List<Item> items) {
        this.text = text;
        this.items = items;
    }

    /** The full slice (every element). */
    public static Slice all() {
        return new Slice("[]", List.of());
    }

    /** Parses {@code [a,b:c,...]} (the brackets are required). */
    public static Slice parse(String text) {
        String t = text.strip();
        if (!t.startsWith("[") || !t.endsWith("]")) throw new UserError("bad slice '" + text + "': expected [i,j:k,...]");
        String body = t.substring(1, t.length() - 1).strip();
        List<Item> items = new ArrayList<>();
        if (body.isEmpty()) return new Slice(t, items);
        boolean ellipsis = false;
        for (String part : body.split(",", -1)) {
            String p = part.strip();
            if (p.equals("...")) {
                if (ellipsis) throw new UserError("bad slice '" + text + "': more than one '...'");
                ellipsis = true;
                items.add(new Ellipsis());
            } else if (p.contains(":")) {
                String[] f = p.split(":", -1);
                if (f.length > 3) throw new UserError("bad slice '" + text + "': '" + p + "' has more than two ':'");
                Integer step = f.length == 3 ? num(f[2], text) : null;
                if (step != null && step == 0) throw new UserError("bad slice '" + text + "': step must not be 0");
                items.add(new Range(num(f[0], text), num(f[1], text), step));
            } else {
                Integer i = num(p, text);
                if (i == null) throw new UserError("bad slice '" + text + "': empty index");
                items.add(new Index(i));
            }
        }
        return new Slice(t, items);
    }

    private static Integer num(String s, String text) {
        String t = s.strip();
        if (t.isEmpty()) return null;
        try {
            return Integer.parseInt(t);
        } catch (NumberFormatException e) {
            throw new UserError("bad slice '" + text + "': '" + t + "' is not an integer");
        }
    }

    @Override
    public String toString() {
        return text;
    }

    /** Whether this slice selects everything. */
    public boolean isAll() {
        return items.isEmpty();
    }

    /**
     * The selected elements of {@code t}, same dtype, shape as numpy gives (indexed axes dropped).
     *
     * @throws UserError naming the axis when an index is out of range or there are too many indices
     */
    public Tensor apply(Tensor t) {
        int[] shape = t.shape();
        int rank = shape.length;
        long explicit = items.stream().filter(i -> !(i instanceof Ellipsis)).count();
        if (explicit > rank) {
            throw new UserError("bad slice " + text + ": " + explicit + " indices for a rank-" + rank + " tensor "
                    + Arrays.toString(shape));
        }
        List<Item> full = new ArrayList<>();
        for (Item it : items) {
            if (it instanceof Ellipsis) {
                for (long k = 0; k < rank - explicit; k++) full.add(new Range(null, null, null));
            } else {
                full.add(it);
            }
        }
        while (full.size() < rank) full.add(new Range(null, null, null));
        // Per axis: the selected source indices, and whether the axis stays.
        int[][] picks = new int[rank][];
        List<Integer> outShape = new ArrayList<>();
        for (int a = 0; a < rank; a++) {
            int n = shape[a];
            Item it = full.get(a);
            if (it instanceof Index ix) {
                int i = ix.i() < 0 ? ix.i() + n : ix.i();
                if (i < 0 || i >= n) {
                    throw new UserError("bad slice " + text + ": index " + ix.i() + " is out of range for axis " + a
                            + " of size " + n);
                }
                picks[a] = new int[] {i};
            } else {
                Range r = (Range) it;
                int step = r.step() == null ? 1 : r.step();
                int start;
                int stop;
                if (step > 0) {
                    start = r.start() == null ? 0 : clamp(r.start() < 0 ? r.start() + n : r.start(), 0, n);
                    stop = r.stop() == null ? n : clamp(r.stop() < 0 ? r.stop() + n : r.stop(), 0, n);
                } else {
                    start = r.start() == null ? n - 1 : clamp(r.start() < 0 ? r.start() + n : r.start(), -1, n - 1);
                    stop = r.stop() == null ? -1 : clamp(r.stop() < 0 ? r.stop() + n : r.stop(), -1, n - 1);
                }
                List<Integer> sel = new ArrayList<>();
                for (int i = start; step > 0 ? i < stop : i > stop; i += step) sel.add(i);
                picks[a] = sel.stream().mapToInt(Integer::intValue).toArray();
                outShape.add(picks[a].length);
            }
        }
        int[] os = outShape.stream().mapToInt(Integer::intValue).toArray();
        long count = 1;
        for (int[] p : picks) count *= p.length;
        int esz = t.dtype().size();
        byte[] src = t.data();
        byte[] dst = new byte[Math.toIntExact(count * esz)];
        long[] strides = new long[rank];
        long s = 1;
        for (int a = rank - 1; a >= 0; a--) {
            strides[a] = s;
            s *= shape[a];
        }
        int[] idx = new int[rank];
        for (int o = 0; o < count; o++) {
            long off = 0;
            for (int a = 0; a < rank; a++) off += picks[a][idx[a]] * strides[a];
            System.arraycopy(src, (int) off * esz, dst, o * esz, esz);
            for (int a = rank - 1; a >= 0; a--) {
                if (++idx[a] < picks[a].length) break;
                idx[a] = 0;
            }
        }
        return new Tensor(t.dtype(), os, dst);
    }

    private static int clamp(int v, int lo, int hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
