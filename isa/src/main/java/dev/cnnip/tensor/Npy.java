package dev.cnnip.tensor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * numpy {@code .npy} files, format versions 1.0 to 3.0 for reading and 1.0 for writing
 * (magic {@code \x93NUMPY}, version, header length, a Python dict literal padded with spaces and a
 * newline to a multiple of 64 bytes, then raw little-endian C-order data).
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {}

    /** Reads a tensor; a malformed file gives an {@link IOException} naming the file and the fault. */
    public static Tensor read(Path file) throws IOException {
        try {
            return fromBytes(Files.readAllBytes(file));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /** Parses {@code .npy} bytes; throws {@link IllegalArgumentException} when malformed. */
    public static Tensor fromBytes(byte[] b) {
        if (b.length < 10) throw new IllegalArgumentException("not a .npy file (too short)");
        for (int i = 0; i < MAGIC.length; i++) {
            if (b[i] != MAGIC[i]) throw new IllegalArgumentException("not a .npy file (bad magic)");
        }
        int major = b[6] & 0xFF;
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int headerLen;
        int headerStart;
        if (major == 1) {
            headerLen = bb.getShort(8) & 0xFFFF;
            headerStart = 10;
        } else if (major == 2 || major == 3) {
            if (b.length < 12) throw new IllegalArgumentException("truncated .npy header");
            headerLen = bb.getInt(8);
            headerStart = 12;
        } else {
            throw new IllegalArgumentException("unsupported .npy version " + major);
        }
        if (headerLen < 0 || headerStart + headerLen > b.length) {
            throw new IllegalArgumentException("truncated .npy header");
        }
        String header = new String(b, headerStart, headerLen,
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(header);
        Matcher f = FORTRAN.matcher(header);
        Matcher s = SHAPE.matcher(header);
        if (!d.find() || !f.find() || !s.find()) {
            throw new IllegalArgumentException("malformed .npy header: " + header.trim());
        }
        DType dtype = DType.fromNpy(d.group(1));
        if (f.group(1).equals("True")) {
            throw new IllegalArgumentException("Fortran-order .npy arrays are not supported");
        }
        List<Integer> dims = new ArrayList<>();
        for (String part : s.group(1).split(",")) {
            String p = part.trim();
            if (!p.isEmpty()) {
                try {
                    dims.add(Integer.parseInt(p.endsWith("L") ? p.substring(0, p.length() - 1) : p));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("bad dimension '" + p + "' in .npy shape");
                }
            }
        }
        int[] shape = dims.stream().mapToInt(Integer::intValue).toArray();
        long bytes = Tensor.numElements(shape) * dtype.size();
        int dataStart = headerStart + headerLen;
        if (b.length - dataStart != bytes) {
            throw new IllegalArgumentException(".npy data has " + (b.length - dataStart) + " bytes, expected "
                    + bytes + " for " + dtype.shortName() + java.util.Arrays.toString(shape));
        }
        byte[] data = new byte[(int) bytes];
        System.arraycopy(b, dataStart, data, 0, data.length);
        return new Tensor(dtype, shape, data);
    }

    /** Encodes a tensor as {@code .npy} version 1.0. */
    public static byte[] toBytes(Tensor t) {
        StringBuilder shape = new StringBuilder("(");
        int[] dims = t.shape();
        for (int i = 0; i < dims.length; i++) {
            shape.append(dims[i]);
            if (dims.length == 1 || i < dims.length - 1) shape.append(",");
            if (i < dims.length - 1) shape.append(' ');
        }
        shape.append(")");
        String dict = "{'descr': '" + t.dtype().npyDescr() + "', 'fortran_order': False, 'shape': " + shape + ", }";
        int unpadded = 10 + dict.length() + 1;
        int padded = (unpadded + 63) / 64 * 64;
        StringBuilder header = new StringBuilder(dict);
        while (10 + header.length() + 1 < padded) header.append(' ');
        header.append('\n');
        byte[] h = header.toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream out = new ByteArrayOutputStream(10 + h.length + t.data().length);
        out.writeBytes(MAGIC);
        out.write(1);
        out.write(0);
        out.write(h.length & 0xFF);
        out.write((h.length >>> 8) & 0xFF);
        out.writeBytes(h);
        out.writeBytes(t.data());
        return out.toByteArray();
    }

    /** Writes a tensor as {@code .npy} 1.0, atomically ({@link AtomicFiles}). */
    public static void write(Path file, Tensor t) throws IOException {
        AtomicFiles.write(file, toBytes(t));
    }
}
