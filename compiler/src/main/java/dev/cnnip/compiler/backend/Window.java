package dev.cnnip.compiler.backend;

/**
 * The input rows (or columns) a tile of outputs reads: output positions {@code [o0, o0 + count)} with
 * stride s, kernel k, dilation d and leading pad p read inputs {@code [o0*s − p, (o0+count−1)*s − p + (k−1)*d]},
 * clipped to {@code [0, size)}; {@code pad} is how many virtual (padding) positions precede the first
 * loaded one.
 */
record Window(int start, int length, int pad) {
    static Window of(int o0, int count, int s, int k, int d, int p, int size) {
        int first = o0 * s - p;
        int last = (o0 + count - 1) * s - p + (k - 1) * d;
        int lo = Math.max(0, first);
        int hi = Math.min(size - 1, last);
        int len = Math.max(0, hi - lo + 1);
        return new Window(len == 0 ? 0 : lo, len, len == 0 ? 0 : lo - first);
    }

    /** Largest window length for {@code count} outputs (before clipping). */
    static int span(int count, int s, int k, int d) {
        return (count - 1) * s + (k - 1) * d + 1;
    }
}
