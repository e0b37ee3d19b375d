package dev.cnnip.compiler.backend;

/**
 * Physical order of an activation tensor in DRAM. Rank-4 tensors (logical NCHW) are stored NHWC so
 * that a pixel's channels are contiguous for the MAC array; every other tensor is stored in its
 * logical row-major order.
 */
public enum Layout {
    NHWC,
    ROW_MAJOR;

    /** The layout the backend uses for a tensor of this rank. */
    public static Layout forRank(int rank) {
        return rank == 4 ? NHWC : ROW_MAJOR;
    }

    /** The physical shape for a logical shape. */
    public int[] physical(int[] logical) {
        if (this == ROW_MAJOR) return logical.clone();
        return new int[] {logical[0], logical[2], logical[3], logical[1]};
    }

    /** The name recorded in the program's symbol table. */
    public String label() {
        return this == NHWC ? "NHWC" : "ROW_MAJOR";
    }
}
