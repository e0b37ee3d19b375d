package dev.cnnip.vectors;

import dev.cnnip.isa.InsnCodec;
import dev.cnnip.isa.Isa;
import dev.cnnip.tensor.DType;
import dev.cnnip.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Text files for Verilog's {@code $readmemh}: one word per line in hex, most significant digit first,
 * no {@code 0x}; an {@code @ADDR} line (hex, in words) sets the address of the next word.
 * <ul>
 * <li>instructions: 128-bit words, 32 digits ({@link InsnCodec#toHex});</li>
 * <li>memory images (DRAM, SRAM): 32-bit words, 8 digits, byte {@code 4k + j} in bits {@code 8j..8j+7}
 * (little-endian, as the machine stores values);</li>
 * <li>tensors: one element per line in logical row-major order, as many digits as the element has
 * nibbles (two's complement for signed types, raw bits for float32).</li>
 * </ul>
 * Lines are {@code \n}-terminated.
 */
final class ReadMemH {
    private ReadMemH() {}

    static byte[] instructions(byte[] code) {
        StringBuilder sb = new StringBuilder(code.length * 2 + code.length / 16);
        for (int i = 0; i < code.length; i += Isa.BYTES) {
            byte[] w = new byte[Isa.BYTES];
            System.arraycopy(code, i, w, 0, Isa.BYTES);
            sb.append(InsnCodec.toHex(w)).append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** A memory image of {@code bytes} (padded with zeros to whole words) at byte address {@code base} (a multiple of 4). */
    static byte[] memory(byte[] bytes, long base) {
        if (base % 4 != 0) throw new IllegalArgumentException("base 0x" + Long.toHexString(base) + " is not word-aligned");
        int words = (bytes.length + 3) / 4;
        StringBuilder sb = new StringBuilder(words * 9 + 16);
        if (base != 0) sb.append('@').append(Long.toHexString(base / 4)).append('\n');
        for (int w = 0; w < words; w++) {
            long v = 0;
            for (int j = 3; j >= 0; j--) {
                int i = 4 * w + j;
                v = v << 8 | (i < bytes.length ? bytes[i] & 0xFF : 0);
            }
            hex(sb, v, 8);
            sb.append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** A tensor, one element per line. */
    static byte[] tensor(Tensor t) {
        int digits = t.dtype().size() * 2;
        int n = t.size();
        StringBuilder sb = new StringBuilder(n * (digits + 1));
        byte[] d = t.data();
        int esz = t.dtype().size();
        for (int i = 0; i < n; i++) {
            long v = 0;
            for (int j = esz - 1; j >= 0; j--) v = v << 8 | (d[i * esz + j] & 0xFF);
            hex(sb, v, digits);
            sb.append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static void hex(StringBuilder sb, long v, int digits) {
        for (int k = digits - 1; k >= 0; k--) sb.append(Character.forDigit((int) (v >>> (4 * k)) & 0xF, 16));
    }

    /** One parsed word: its address (in words) and value. */
    record Word(long address, long value) {}

    /**
     * Parses a {@code $readmemh} file: words and {@code @ADDR} lines, {@code //} comments, blank lines and
     * {@code _} separators ignored.
     *
     * @throws IllegalArgumentException naming the line of a malformed word
     */
    static List<Word> parse(String text, String source) {
        List<Word> out = new ArrayList<>();
        long addr = 0;
        String[] lines = text.split("\n", -1);
        for (int ln = 0; ln < lines.length; ln++) {
            String line = lines[ln];
            int c = line.indexOf("//");
            if (c >= 0) line = line.substring(0, c);
            for (String tok : line.trim().split("\\s+")) {
                if (tok.isEmpty()) continue;
                try {
                    if (tok.startsWith("@")) {
                        addr = Long.parseUnsignedLong(tok.substring(1), 16);
                    } else {
                        out.add(new Word(addr++, Long.parseUnsignedLong(tok.replace("_", ""), 16)));
                    }
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(source + ": line " + (ln + 1) + ": '" + tok + "' is not a hex word");
                }
            }
        }
        return out;
    }

    /** Memory image bytes from parsed 32-bit words, relative to byte address {@code base}; {@code length} bytes. */
    static byte[] memoryBytes(List<Word> words, long base, int length) {
        byte[] out = new byte[length];
        for (Word w : words) {
            long b = w.address() * 4 - base;
            for (int j = 0; j < 4; j++) {
                long i = b + j;
                if (i >= 0 && i < length) out[(int) i] = (byte) (w.value() >>> (8 * j));
            }
        }
        return out;
    }

    /** A tensor of {@code dtype} and {@code shape} from parsed words (element {@code i} = word at address {@code i}). */
    static Tensor tensor(List<Word> words, DType dtype, int[] shape) {
        Tensor t = Tensor.zeros(dtype, shape);
        byte[] d = t.data();
        int esz = dtype.size();
        int n = t.size();
        for (Word w : words) {
            if (w.address() < 0 || w.address() >= n) continue;
            for (int j = 0; j < esz; j++) d[(int) w.address() * esz + j] = (byte) (w.value() >>> (8 * j));
        }
        return t;
    }

    static byte[] concat(List<byte[]> parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        parts.forEach(o::writeBytes);
        return o.toByteArray();
    }
}
