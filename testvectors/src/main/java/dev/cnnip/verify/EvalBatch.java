package dev.cnnip.verify;

import dev.cnnip.tensor.DType;
import dev.cnnip.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A batch of inputs for one program input: items stacked along a new first axis.
 *
 * <p>The batch has shape {@code [N, d1, …, dk]} where the input has shape {@code [1, d1, …, dk]}
 * (batch 1, the usual case: images f32[1000, 1, 28, 28] for an input f32[1, 1, 28, 28]) or
 * {@code [d1, …, dk]} (an input without a batch axis), and the input's element type. Item {@code i} is
 * the {@code i}-th slice, reshaped to the input's shape.
 *
 * <p>A batch is either held in memory ({@link #of}) or streamed from a {@code .npy} file
 * ({@link #streamed}): then only the header is read up front and every {@link #item} reads its own slice
 * with a positional read, so memory does not grow with the number of items. Safe for concurrent
 * {@link #item} calls.
 */
public final class EvalBatch {
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private final String source;
    private final String input;
    private final DType dtype;
    private final int[] itemShape;
    private final int size;
    private final int itemBytes;
    private final Tensor data;
    private final Path file;
    private final long dataOffset;

    private EvalBatch(String source, String input, DType dtype, int[] itemShape, int size, Tensor data, Path file,
                      long dataOffset) {
        this.source = source;
        this.input = input;
        this.dtype = dtype;
        this.itemShape = itemShape.clone();
        this.size = size;
        this.itemBytes = (int) (Tensor.numElements(itemShape) * dtype.size());
        this.data = data;
        this.file = file;
        this.dataOffset = dataOffset;
    }

    /**
     * Checks {@code data} against an input of element type {@code dtype} and shape {@code shape}.
     *
     * @throws IllegalArgumentException naming {@code source} when the batch is empty or its type or
     *     shape does not fit the input
     */
    public static EvalBatch of(String source, Tensor data, String input, DType dtype, int[] shape) {
        int[] in = check(source, data.dtype(), data.shape(), input, dtype, shape);
        return new EvalBatch(source, input, dtype, in, data.dim(0), data, null, 0);
    }

    /**
     * A batch streamed from the {@code .npy} file {@code npy}: its header is checked as in {@link #of};
     * items are read when asked for.
     *
     * @throws IllegalArgumentException naming the file when it is not a readable C-order {@code .npy}
     *     file of the whole batch, or the batch does not fit the input
     */
    public static EvalBatch streamed(Path npy, String input, DType dtype, int[] shape) {
        String source = npy.toString();
        try (FileChannel ch = FileChannel.open(npy, StandardOpenOption.READ)) {
            ByteBuffer head = ByteBuffer.allocate((int) Math.min(ch.size(), 1 << 16)).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(head, 0);
            byte[] b = Arrays.copyOf(head.array(), head.position());
            if (b.length < 10 || b[0] != (byte) 0x93 || b[1] != 'N' || b[2] != 'U' || b[3] != 'M' || b[4] != 'P'
                    || b[5] != 'Y') {
                throw new IllegalArgumentException(source + ": not a .npy file");
            }
            int major = b[6] & 0xFF;
            ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
            int headerStart = major == 1 ? 10 : 12;
            int headerLen = major == 1 ? bb.getShort(8) & 0xFFFF : bb.getInt(8);
            if (major < 1 || major > 3 || headerLen < 0 || headerStart + headerLen > b.length) {
                throw new IllegalArgumentException(source + ": unsupported or truncated .npy header");
            }
            String header = new String(b, headerStart, headerLen, StandardCharsets.ISO_8859_1);
            Matcher d = DESCR.matcher(header);
            Matcher f = FORTRAN.matcher(header);
            Matcher s = SHAPE.matcher(header);
            if (!d.find() || !f.find() || !s.find() || f.group(1).equals("True")) {
                throw new IllegalArgumentException(source + ": malformed or Fortran-order .npy header: " + header.trim());
            }
            DType t = DType.fromNpy(d.group(1));
            List<Integer> dims = new ArrayList<>();
            for (String part : s.group(1).split(",")) {
                String p = part.trim();
                if (!p.isEmpty()) dims.add(Integer.parseInt(p.endsWith("L") ? p.substring(0, p.length() - 1) : p));
            }
            int[] batchShape = dims.stream().mapToInt(Integer::intValue).toArray();
            int[] in = check(source, t, batchShape, input, dtype, shape);
            long dataStart = headerStart + headerLen;
            long expected = Tensor.numElements(batchShape) * t.size();
            if (ch.size() - dataStart != expected) {
                throw new IllegalArgumentException(source + ": .npy data has " + (ch.size() - dataStart)
                        + " bytes, expected " + expected);
            }
            return new EvalBatch(source, input, dtype, in, batchShape[0], null, npy, dataStart);
        } catch (IOException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(source + ": bad dimension in the .npy shape", e);
        }
    }

    /** The input shape the batch fits, or a one-line error naming {@code source}. */
    private static int[] check(String source, DType got, int[] batchShape, String input, DType dtype, int[] shape) {
        int[] in = shape.clone();
        int rank = batchShape.length;
        int[] items = rank == 0 ? new int[0] : Arrays.copyOfRange(batchShape, 1, rank);
        boolean fits = got == dtype && rank > 0
                && (Arrays.equals(items, in) || in.length == items.length + 1 && in[0] == 1
                    && Arrays.equals(items, Arrays.copyOfRange(in, 1, in.length)));
        if (!fits) {
            int[] tail = in.length > 0 && in[0] == 1 ? Arrays.copyOfRange(in, 1, in.length) : in;
            throw new IllegalArgumentException(source + ": batch " + got.shortName() + Arrays.toString(batchShape)
                    + " does not fit input '" + input + "' " + dtype.shortName() + Arrays.toString(in) + ": expected "
                    + dtype.shortName() + "[N" + dims(tail) + "]");
        }
        if (batchShape[0] == 0) throw new IllegalArgumentException(source + ": the batch is empty");
        return in;
    }

    private static String dims(int[] d) {
        StringBuilder sb = new StringBuilder();
        for (int x : d) sb.append(", ").append(x);
        return sb.toString();
    }

    /** Names the batch in errors, e.g. its file. */
    public String source() {
        return source;
    }

    /** The program input the items feed. */
    public String input() {
        return input;
    }

    /** The input's shape, the shape of each item. */
    public int[] itemShape() {
        return itemShape.clone();
    }

    /** Element type of the items. */
    public DType dtype() {
        return dtype;
    }

    /** The {@code .npy} file a streamed batch reads, or null for one in memory. */
    public Path file() {
        return file;
    }

    /** Number of items. */
    public int size() {
        return size;
    }

    /** Item {@code i} as a new tensor of the input's shape. */
    public Tensor item(int i) {
        if (i < 0 || i >= size) throw new IndexOutOfBoundsException("item " + i + " of " + size);
        if (data != null) {
            return new Tensor(dtype, itemShape, Arrays.copyOfRange(data.data(), i * itemBytes, (i + 1) * itemBytes));
        }
        byte[] out = new byte[itemBytes];
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer bb = ByteBuffer.wrap(out);
            long at = dataOffset + (long) i * itemBytes;
            while (bb.hasRemaining()) {
                if (ch.read(bb, at + bb.position()) < 0) throw new IOException("unexpected end of file");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(source + ": item " + i + ": " + e.getMessage(), e);
        }
        return new Tensor(dtype, itemShape, out);
    }
}
