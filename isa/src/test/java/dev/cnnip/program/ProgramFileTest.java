package dev.cnnip.program;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import dev.cnnip.program.proto.NumericsProto;
import dev.cnnip.program.proto.ProgramProto;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProgramFileTest {
    private static final String SRC = "net.cnnip";

    @TempDir Path tmp;

    @Test
    void roundTripsEveryField() throws IOException {
        Program p = Fixtures.full();
        assertEverythingSet(List.of(ProtoMapper.toProto(p, ProgramFile.FORMAT_VERSION)), "program");

        Program back = ProgramFile.fromBytes(ProgramFile.toBytes(p), SRC);
        assertEquals(p, back);
        assertEquals(p.hwConfig().hash(), back.hwConfig().hash());

        Path file = tmp.resolve("sub/net.cnnip");
        ProgramFile.write(file, p);
        assertEquals(p, ProgramFile.read(file));
    }

    @Test
    void serializationIsDeterministic() throws IOException {
        byte[] a = ProgramFile.toBytes(Fixtures.full());
        assertArrayEquals(a, ProgramFile.toBytes(Fixtures.full()));
        assertArrayEquals(a, ProgramFile.toBytes(ProgramFile.fromBytes(a, SRC)));
        Path f1 = tmp.resolve("a.cnnip");
        Path f2 = tmp.resolve("b.cnnip");
        ProgramFile.write(f1, Fixtures.full());
        ProgramFile.write(f2, ProgramFile.read(f1));
        assertArrayEquals(a, Files.readAllBytes(f1));
        assertArrayEquals(a, Files.readAllBytes(f2));
    }

    @Test
    void layoutIsTheDocumentedFrame() {
        Program p = Fixtures.full();
        byte[] payload = ProtoMapper.toProto(p, ProgramFile.FORMAT_VERSION).toByteArray();
        byte[] file = ProgramFile.toBytes(p);
        assertArrayEquals(frame(payload, 1), file);
        assertEquals("CNNIPPRG", new String(file, 0, 8, StandardCharsets.US_ASCII));
    }

    @Test
    void emptyProgramRoundTrips() throws IOException {
        Program p = Program.builder("t", dev.cnnip.hw.HwConfig.defaults(), Numerics.ORT).build();
        assertEquals(p, ProgramFile.fromBytes(ProgramFile.toBytes(p), SRC));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 3, 8, 11, 12, 19})
    void truncatedHeaderIsRejected(int cut) {
        byte[] file = Arrays.copyOf(ProgramFile.toBytes(Fixtures.full()), cut);
        assertRejected(file, "truncated: expected at least 20 bytes, found " + cut);
    }

    @Test
    void truncatedBodyIsRejected() {
        byte[] full = ProgramFile.toBytes(Fixtures.full());
        int n = full.length;
        for (int cut : new int[] {20, 21, n / 2, n - 33, n - 32, n - 1}) {
            assertRejected(Arrays.copyOf(full, cut), "truncated: expected " + n + " bytes, found " + cut);
        }
    }

    @Test
    void flippedBytesAreRejected() {
        byte[] full = ProgramFile.toBytes(Fixtures.full());
        for (int at : new int[] {20, 100, full.length / 2, full.length - 33, full.length - 32, full.length - 1}) {
            byte[] bad = full.clone();
            bad[at] ^= 0x10;
            assertRejected(bad, "corrupt: checksum mismatch");
        }
    }

    @Test
    void corruptLengthIsRejected() {
        byte[] bad = ProgramFile.toBytes(Fixtures.full());
        ByteBuffer.wrap(bad).order(ByteOrder.LITTLE_ENDIAN).putLong(12, -1L);
        assertRejected(bad, "corrupt: payload length 18446744073709551615 is impossible");
    }

    @Test
    void wrongMagicIsRejected() {
        byte[] bad = ProgramFile.toBytes(Fixtures.full());
        bad[7] = 'X';
        assertRejected(bad, "not a cnnip program");
        assertRejected("\u0089PNG\r\n\u001a\n....".getBytes(StandardCharsets.ISO_8859_1), "not a cnnip program");
        assertRejected("CNX".getBytes(StandardCharsets.US_ASCII), "not a cnnip program");
    }

    @Test
    void otherVersionsAreRejected() {
        byte[] bad = ProgramFile.toBytes(Fixtures.full());
        ByteBuffer.wrap(bad).order(ByteOrder.LITTLE_ENDIAN).putInt(8, 7);
        assertRejected(bad, "format version 7, this tool reads 1");
        assertRejected(Arrays.copyOf(bad, 12), "format version 7, this tool reads 1");
    }

    @Test
    void trailingDataIsRejected() {
        byte[] full = ProgramFile.toBytes(Fixtures.full());
        byte[] bad = Arrays.copyOf(full, full.length + 1);
        assertRejected(bad, "trailing data: expected " + full.length + " bytes, found " + (full.length + 1));
    }

    @Test
    void unparsablePayloadIsRejected() {
        assertRejected(frame(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff}, 1), "corrupt: cannot parse program");
    }

    @Test
    void payloadVersionMustMatchTheHeader() {
        ProgramProto proto = ProtoMapper.toProto(Fixtures.full(), 2);
        assertRejected(frame(proto.toByteArray(), 1), "corrupt: payload format version 2 differs from the header's 1");
    }

    @Test
    void invalidContentsAreRejectedWithTheReason() {
        ProgramProto good = ProtoMapper.toProto(Fixtures.full(), 1);
        assertRejected(frame(good.toBuilder().setCode(good.getCode().substring(0, 5)).build().toByteArray(), 1),
                "invalid program: code has 5 bytes, not a multiple of 16");
        assertRejected(frame(good.toBuilder().setNumerics(NumericsProto.NUMERICS_UNSPECIFIED).build().toByteArray(), 1),
                "invalid program: numerics is unspecified");
        assertRejected(frame(good.toBuilder().setHwConfigHash("00").build().toByteArray(), 1),
                "invalid program: hw_config_hash 00 does not match hw_config_json");
        assertRejected(frame(good.toBuilder().setHwConfigJson("{\"mac.icc\": 1}").build().toByteArray(), 1),
                "invalid program: embedded hw config: unknown hardware parameter 'mac.icc'");
        assertRejected(frame(good.toBuilder().setSymbols(1, good.getSymbols(1).toBuilder().setDtype(99)).build()
                .toByteArray(), 1), "invalid program: symbol 'fc_w': unsupported ONNX tensor data type 99");
        assertRejected(frame(good.toBuilder().setSymbols(1, good.getSymbols(1).toBuilder().setAddress(4000)).build()
                .toByteArray(), 1), "invalid program: symbol 'fc_w' [0xfa0, 0x10a0) lies outside dram_size 4096");
        assertRejected(frame(good.toBuilder().setDramSize(-1L).build().toByteArray(), 1),
                "invalid program: dram_size 18446744073709551615 is too large");
    }

    @Test
    void readNamesTheFile() throws IOException {
        Path f = Files.writeString(tmp.resolve("notes.txt"), "hello, world, this is text");
        ProgramFormatException e = assertThrows(ProgramFormatException.class, () -> ProgramFile.read(f));
        assertEquals(f + ": not a cnnip program (bad magic)", e.getMessage());
        assertEquals(f.toString(), e.source());
    }

    /** The frame as documented, built independently of {@link ProgramFile}. */
    private static byte[] frame(byte[] payload, int version) {
        ByteBuffer b = ByteBuffer.allocate(20 + payload.length + 32).order(ByteOrder.LITTLE_ENDIAN);
        b.put("CNNIPPRG".getBytes(StandardCharsets.US_ASCII)).putInt(version).putLong(payload.length).put(payload);
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(b.array(), 0, 20 + payload.length);
            b.put(md.digest());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        return b.array();
    }

    private static void assertRejected(byte[] file, String expected) {
        ProgramFormatException e = assertThrows(ProgramFormatException.class, () -> ProgramFile.fromBytes(file, SRC));
        String m = e.getMessage();
        assertTrue(m.startsWith(SRC + ": " + expected), "message '" + m + "' does not start with '" + SRC + ": " + expected + "'");
        assertFalse(m.contains("\n"), "one line: " + m);
    }

    /** Every field of the message type has a non-default value in at least one of {@code messages}, recursively. */
    private static void assertEverythingSet(List<? extends Message> messages, String path) {
        for (FieldDescriptor f : messages.get(0).getDescriptorForType().getFields()) {
            String at = path + "." + f.getName();
            List<Object> values = messages.stream()
                    .flatMap(m -> f.isRepeated()
                            ? java.util.stream.IntStream.range(0, m.getRepeatedFieldCount(f)).mapToObj(i -> m.getRepeatedField(f, i))
                            : java.util.stream.Stream.of(m.getField(f)))
                    .toList();
            if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                assertFalse(values.isEmpty(), at + " is never set");
                assertEverythingSet(values.stream().map(v -> (Message) v).toList(), at);
            } else if (f.isRepeated()) {
                assertFalse(values.isEmpty(), at + " is never set");
            } else {
                assertTrue(values.stream().anyMatch(v -> !v.equals(f.getDefaultValue())), at + " is never set");
            }
        }
    }
}
