package dev.cnnip.program;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.cnnip.program.proto.ProgramProto;
import dev.cnnip.tensor.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The {@code .cnnip} file: a framed {@code ProgramProto} (see {@code program.proto}).
 *
 * <pre>
 * offset  size  content
 * 0       8     magic "CNNIPPRG" (ASCII)
 * 8       4     format version, uint32 little-endian ({@value #FORMAT_VERSION})
 * 12      8     payload length N, uint64 little-endian
 * 20      N     ProgramProto, deterministic protobuf serialization
 * 20+N    32    SHA-256 of bytes [0, 20+N)
 * </pre>
 *
 * Nothing may follow the checksum. The same {@link Program} always gives the same bytes. Readers check,
 * in order: magic, version, length, checksum, protobuf, then the program's own validation; each
 * failure is a {@link ProgramFormatException} with one line naming the file.
 */
public final class ProgramFile {
    /** The format version this tool writes and reads. */
    public static final int FORMAT_VERSION = 1;
    /** Conventional file extension. */
    public static final String EXTENSION = ".cnnip";

    static final int HEADER_BYTES = 20;
    static final int CHECKSUM_BYTES = 32;
    private static final byte[] MAGIC = "CNNIPPRG".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_PAYLOAD = Integer.MAX_VALUE - HEADER_BYTES - CHECKSUM_BYTES;

    private ProgramFile() {}

    /** Writes {@code program} to {@code file} atomically (a reader sees the old file or the whole new one). */
    public static void write(Path file, Program program) throws IOException {
        AtomicFiles.write(file, toBytes(program));
    }

    /** Reads and validates a program file. */
    public static Program read(Path file) throws IOException {
        return fromBytes(Files.readAllBytes(file), file.toString());
    }

    /** The file image of {@code program}. */
    public static byte[] toBytes(Program program) {
        byte[] payload = serialize(ProtoMapper.toProto(program, FORMAT_VERSION));
        if (payload.length > MAX_PAYLOAD) {
            throw new IllegalArgumentException("program too large: " + payload.length + " bytes of payload");
        }
        ByteBuffer out = ByteBuffer.allocate(HEADER_BYTES + payload.length + CHECKSUM_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).putInt(FORMAT_VERSION).putLong(payload.length).put(payload);
        out.put(sha256(out.array(), HEADER_BYTES + payload.length));
        return out.array();
    }

    /**
     * Parses a file image; {@code sourceName} (usually the path) starts every error message.
     *
     * @throws ProgramFormatException if the bytes are not a valid program of this format version
     */
    public static Program fromBytes(byte[] bytes, String sourceName) throws ProgramFormatException {
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int n = bytes.length;
        byte[] magic = Arrays.copyOf(bytes, Math.min(n, MAGIC.length));
        if (!Arrays.equals(magic, Arrays.copyOf(MAGIC, magic.length))) {
            throw new ProgramFormatException(sourceName, "not a cnnip program (bad magic)");
        }
        if (n < 12) throw truncated(sourceName, "at least " + HEADER_BYTES, n);
        int version = in.getInt(8);
        if (version != FORMAT_VERSION) {
            throw new ProgramFormatException(sourceName, "format version " + Integer.toUnsignedString(version)
                    + ", this tool reads " + FORMAT_VERSION);
        }
        if (n < HEADER_BYTES) throw truncated(sourceName, "at least " + HEADER_BYTES, n);
        long length = in.getLong(12);
        if (length < 0 || length > MAX_PAYLOAD) {
            throw new ProgramFormatException(sourceName, "corrupt: payload length " + Long.toUnsignedString(length)
                    + " is impossible (file has " + n + " bytes)");
        }
        int payloadEnd = HEADER_BYTES + (int) length;
        int expected = payloadEnd + CHECKSUM_BYTES;
        if (n < expected) throw truncated(sourceName, Integer.toString(expected), n);
        if (n > expected) {
            throw new ProgramFormatException(sourceName, "trailing data: expected " + expected + " bytes, found " + n);
        }
        if (!Arrays.equals(sha256(bytes, payloadEnd), Arrays.copyOfRange(bytes, payloadEnd, expected))) {
            throw new ProgramFormatException(sourceName, "corrupt: checksum mismatch");
        }
        ProgramProto proto;
        try {
            proto = ProgramProto.parseFrom(ByteBuffer.wrap(bytes, HEADER_BYTES, (int) length));
        } catch (InvalidProtocolBufferException e) {
            throw new ProgramFormatException(sourceName, "corrupt: cannot parse program: " + e.getMessage(), e);
        }
        if (proto.getFormatVersion() != FORMAT_VERSION) {
            throw new ProgramFormatException(sourceName, "corrupt: payload format version "
                    + Integer.toUnsignedString(proto.getFormatVersion()) + " differs from the header's " + FORMAT_VERSION);
        }
        try {
            return ProtoMapper.fromProto(proto);
        } catch (IllegalArgumentException e) {
            throw new ProgramFormatException(sourceName, "invalid program: " + e.getMessage(), e);
        }
    }

    private static ProgramFormatException truncated(String source, String expected, int found) {
        return new ProgramFormatException(source, "truncated: expected " + expected + " bytes, found " + found);
    }

    // Deterministic mode pins down map ordering; this message has no maps today, but the contract
    // (same Program, same bytes) must survive one being added.
    private static byte[] serialize(ProgramProto proto) {
        byte[] out = new byte[proto.getSerializedSize()];
        CodedOutputStream cos = CodedOutputStream.newInstance(out);
        cos.useDeterministicSerialization();
        try {
            proto.writeTo(cos);
            cos.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new IllegalStateException("serializing to an exactly sized array cannot fail", e);
        }
        return out;
    }

    private static byte[] sha256(byte[] bytes, int length) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(bytes, 0, length);
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }
}
