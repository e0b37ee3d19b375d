package dev.cnnip.compiler.calib;

import dev.cnnip.tensor.DType;
import dev.cnnip.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code .npy} batch whose first axis counts items. The rest of the shape must be the input's shape
 * without its batch dimension (that dimension then being 1 or unknown; each item gets batch 1) or the
 * input's whole shape with batch 1. The element type must equal the input's.
 *
 * <p>Only the header is read when opening; each item is read from its file offset when loaded, so a
 * batch larger than memory (or than the 2 GiB a Java array holds, which rules out reading it whole)
 * still calibrates.
 */
final class NpyBatchSource implements TensorSource {
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private final Path file;
    private final DType dtype;
    private final int[] itemShape;
    private final int items;
    private final long dataStart;
    private final int itemBytes;

    NpyBatchSource(Path file, InputSpec input) {
        this.file = file;
        Header h = header(file);
        this.dtype = h.dtype;
        this.dataStart = h.dataStart;
        if (dtype != input.dtype()) {
            throw new CalibrationDataException(file + ": " + dtype.shortName() + " data, but input '" + input.name()
                    + "' is " + input.dtype().shortName());
        }
        int[] s = h.shape;
        this.itemShape = itemShape(file, s, input);
        this.items = s[0];
        long bytes = Tensor.numElements(itemShape) * dtype.size();
        if (bytes > Integer.MAX_VALUE - 8) throw new CalibrationDataException(file + ": one item of " + InputSpec.dims(itemShape) + " is too large");
        this.itemBytes = (int) bytes;
        long want = dataStart + (long) items * itemBytes;
        if (h.fileSize != want) {
            throw new CalibrationDataException(file + ": holds " + (h.fileSize - dataStart) + " bytes of data, but "
                    + dtype.shortName() + InputSpec.dims(s) + " needs " + (want - dataStart));
        }
    }

    @Override
    public int size() {
        return items;
    }

    @Override
    public Tensor load(int i) {
        byte[] data = new byte[itemBytes];
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.wrap(data);
            long at = dataStart + (long) i * itemBytes;
            while (buf.hasRemaining()) {
                if (ch.read(buf, at + buf.position()) < 0) throw new IOException("unexpected end of file");
            }
        } catch (IOException e) {
            throw new CalibrationDataException(where(i) + ": cannot read: " + e.getMessage(), e);
        }
        Tensor t = new Tensor(dtype, itemShape, data);
        ItemCheck.finite(t, where(i));
        return t;
    }

    @Override
    public String where(int i) {
        return file + " item " + i;
    }

    /** The shape of one item, per the rule in the class comment. */
    private static int[] itemShape(Path file, int[] s, InputSpec input) {
        int[] in = input.shape();
        if (s.length >= 1) {
            int[] rest = Arrays.copyOfRange(s, 1, s.length);
            if (in == null) return prepend1(rest);
            if (rest.length == in.length - 1 && in.length > 0 && (in[0] == 1 || in[0] < 0)
                    && input.accepts(prepend1(rest))) {
                return prepend1(rest);
            }
            if (rest.length == in.length && rest.length > 0 && rest[0] == 1 && input.accepts(rest)) return rest;
        }
        String expected = in == null ? "[N,…]" : expectedBatch(in);
        throw new CalibrationDataException(file + ": shape " + InputSpec.dims(s) + " is not a batch for input '"
                + input.name() + "' " + input.describe() + ": expected " + expected);
    }

    private static String expectedBatch(int[] in) {
        int[] one = in.clone();
        if (one.length > 0 && one[0] < 0) one[0] = 1;
        String whole = "[N," + InputSpec.dims(one).substring(1);
        if (in.length == 0 || (in[0] != 1 && in[0] >= 0)) return whole;
        return "[N," + InputSpec.dims(Arrays.copyOfRange(in, 1, in.length)).substring(1) + " or " + whole;
    }

    private static int[] prepend1(int[] rest) {
        int[] out = new int[rest.length + 1];
        out[0] = 1;
        System.arraycopy(rest, 0, out, 1, rest.length);
        return out;
    }

    private record Header(DType dtype, int[] shape, long dataStart, long fileSize) {}

    /** Parses the {@code .npy} header (versions 1 to 3) without reading the data. */
    private static Header header(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            ByteBuffer pre = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(pre, 0);
            byte[] b = pre.array();
            if (pre.position() < 10 || (b[0] & 0xFF) != 0x93 || b[1] != 'N' || b[2] != 'U' || b[3] != 'M' || b[4] != 'P' || b[5] != 'Y') {
                throw bad(file, "not a .npy file");
            }
            int major = b[6] & 0xFF;
            int start;
            long len;
            if (major == 1) {
                len = pre.getShort(8) & 0xFFFF;
                start = 10;
            } else if (major == 2 || major == 3) {
                len = pre.getInt(8) & 0xFFFF_FFFFL;
                start = 12;
            } else {
                throw bad(file, "unsupported .npy version " + major);
            }
            if (start + len > size || len > 1 << 20) throw bad(file, "truncated .npy header");
            ByteBuffer hb = ByteBuffer.allocate((int) len);
            ch.read(hb, start);
            String header = new String(hb.array(), major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
            Matcher d = DESCR.matcher(header);
            Matcher f = FORTRAN.matcher(header);
            Matcher s = SHAPE.matcher(header);
            if (!d.find() || !f.find() || !s.find()) throw bad(file, "malformed .npy header");
            if (f.group(1).equals("True")) throw bad(file, "Fortran-order arrays are not supported");
            DType dtype;
            try {
                dtype = DType.fromNpy(d.group(1));
            } catch (IllegalArgumentException e) {
                throw bad(file, e.getMessage());
            }
            String[] parts = s.group(1).split(",");
            int[] shape = Arrays.stream(parts).map(String::trim).filter(p -> !p.isEmpty())
                    .mapToInt(p -> parseDim(file, p)).toArray();
            return new Header(dtype, shape, start + len, size);
        } catch (IOException e) {
            throw new CalibrationDataException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static int parseDim(Path file, String p) {
        try {
            return Integer.parseInt(p.endsWith("L") ? p.substring(0, p.length() - 1) : p);
        } catch (NumberFormatException e) {
            throw bad(file, "bad dimension '" + p + "' in the .npy shape");
        }
    }

    private static CalibrationDataException bad(Path file, String why) {
        return new CalibrationDataException(file + ": " + why);
    }
}
