package dev.cnnip.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.cnnip.onnx.proto.StringStringEntryProto;
import dev.cnnip.onnx.proto.TensorProto;
import dev.cnnip.tensor.DType;
import dev.cnnip.tensor.Half;
import dev.cnnip.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class TensorProtosTest {

    static Tensor random(DType dtype, long seed, int... shape) {
        Tensor t = Tensor.zeros(dtype, shape);
        new Random(seed).nextBytes(t.data());
        if (dtype == DType.BOOL) {
            for (int i = 0; i < t.size(); i++) t.data()[i] &= 1;
        }
        return t;
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void everySupportedTypeRoundTripsThroughRawData(DType dtype) throws Exception {
        Tensor t = random(dtype, dtype.ordinal(), 2, 3, 4);
        TensorProto tp = TensorProto.parseFrom(TensorProtos.fromTensor("t", t).toByteArray());
        assertEquals("t", tp.getName());
        assertEquals(dtype.onnxCode(), tp.getDataType());
        assertTrue(tp.hasRawData());
        assertTrue(t.contentEquals(TensorProtos.toTensor(tp)));
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void everySupportedTypeRoundTripsThroughAFile(DType dtype, @TempDir Path dir) {
        Tensor t = random(dtype, 100 + dtype.ordinal(), 5);
        Path f = dir.resolve("input_0.pb");
        TensorProtos.write(f, "x_" + dtype.shortName(), t);
        assertEquals("x_" + dtype.shortName(), TensorProtos.nameOf(f));
        assertTrue(t.contentEquals(TensorProtos.read(f)));
    }

    @Test
    void scalarsAndEmptyTensors() {
        Tensor scalar = Tensor.ofFloats(new int[0], 2.5f);
        TensorProto tp = TensorProtos.fromTensor("s", scalar);
        assertEquals(0, tp.getDimsCount());
        Tensor back = TensorProtos.toTensor(tp);
        assertEquals(0, back.rank());
        assertEquals(2.5f, back.getFloat(0));

        Tensor empty = Tensor.zeros(DType.INT64, 0, 3);
        assertTrue(empty.contentEquals(TensorProtos.toTensor(TensorProtos.fromTensor("e", empty))));
        // An empty tensor may carry no data field at all.
        TensorProto bare = TensorProto.newBuilder().setName("e").setDataType(1).addDims(2).addDims(0).build();
        assertArrayEquals(new int[] {2, 0}, TensorProtos.toTensor(bare).shape());
        // A scalar in a typed field.
        TensorProto typed = TensorProto.newBuilder().setName("k").setDataType(7).addInt64Data(-9).build();
        assertEquals(-9, TensorProtos.toTensor(typed).getLong(0));
    }

    @Test
    void typedFieldsDecode() {
        assertArrayEquals(new float[] {1.5f, -2f}, TensorProtos.toTensor(typed(1).addFloatData(1.5f)
                .addFloatData(-2f).build()).toFloatArray());
        assertArrayEquals(new long[] {-128, 127}, longs(typed(3).addInt32Data(-128).addInt32Data(127)));
        assertArrayEquals(new long[] {0, 255}, longs(typed(2).addInt32Data(0).addInt32Data(255)));
        assertArrayEquals(new long[] {-32768, 32767}, longs(typed(5).addInt32Data(-32768).addInt32Data(32767)));
        assertArrayEquals(new long[] {65535, 1}, longs(typed(4).addInt32Data(65535).addInt32Data(1)));
        assertArrayEquals(new long[] {Integer.MIN_VALUE, 7}, longs(typed(6).addInt32Data(Integer.MIN_VALUE).addInt32Data(7)));
        assertArrayEquals(new long[] {1, 0}, longs(typed(9).addInt32Data(1).addInt32Data(0)));
        assertArrayEquals(new long[] {Long.MIN_VALUE, 3}, longs(typed(7).addInt64Data(Long.MIN_VALUE).addInt64Data(3)));
        assertArrayEquals(new long[] {0xFFFF_FFFFL, 2}, longs(typed(12).addUint64Data(0xFFFF_FFFFL).addUint64Data(2)));
        assertArrayEquals(new long[] {-1L, 2}, longs(typed(13).addUint64Data(-1L).addUint64Data(2)));
        Tensor d = TensorProtos.toTensor(typed(11).addDoubleData(Math.PI).addDoubleData(-0.0).build());
        assertEquals(Math.PI, d.getDouble(0));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(d.getDouble(1)));
        // float16 travels as its bit pattern: 0x3C00 = 1.0, 0xC000 = -2.0.
        Tensor h = TensorProtos.toTensor(typed(10).addInt32Data(0x3C00).addInt32Data(0xC000).build());
        assertEquals(DType.FLOAT16, h.dtype());
        assertArrayEquals(new float[] {1f, -2f}, h.toFloatArray());
        assertEquals(Half.fromFloat(-2f), readShort(h, 1));
    }

    private static short readShort(Tensor t, int i) {
        return (short) ((t.data()[2 * i] & 0xFF) | (t.data()[2 * i + 1] << 8));
    }

    private static TensorProto.Builder typed(int dataType) {
        return TensorProto.newBuilder().setName("t").setDataType(dataType).addDims(2);
    }

    private static long[] longs(TensorProto.Builder b) {
        return TensorProtos.toTensor(b.build()).toLongArray();
    }

    @ParameterizedTest
    @ValueSource(ints = {8, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 99})
    void unsupportedTypesAreNamed(int dataType) {
        TensorProto tp = TensorProto.newBuilder().setName("zp").setDataType(dataType).addDims(1)
                .addInt32Data(1).build();
        OnnxException e = assertThrows(OnnxException.class, () -> TensorProtos.toTensor(tp));
        assertTrue(e.getMessage().startsWith("tensor 'zp' has type " + TensorProtos.typeName(dataType)
                + ", which is not supported"), e.getMessage());
    }

    @Test
    void typeNames() {
        assertEquals("float32", TensorProtos.typeName(1));
        assertEquals("uint16", TensorProtos.typeName(4));
        assertEquals("float8e4m3fn", TensorProtos.typeName(17));
        assertEquals("int4", TensorProtos.typeName(22));
        assertEquals("int2", TensorProtos.typeName(26));
        assertEquals("data type 99", TensorProtos.typeName(99));
    }

    @Test
    void malformedTensorsGiveClearErrors(@TempDir Path dir) throws Exception {
        TensorProto external = TensorProto.newBuilder().setName("w").setDataType(1).addDims(4)
                .setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue("w.bin")).build();
        assertEquals("tensor 'w' keeps its data in an external file (location w.bin), which is not supported",
                assertThrows(OnnxException.class, () -> TensorProtos.toTensor(external)).getMessage());

        TensorProto shortRaw = TensorProto.newBuilder().setName("b").setDataType(1).addDims(3)
                .setRawData(ByteString.copyFrom(new byte[8])).build();
        assertEquals("tensor 'b' has 8 bytes of raw_data, but float32[3] needs 12",
                assertThrows(OnnxException.class, () -> TensorProtos.toTensor(shortRaw)).getMessage());

        TensorProto noData = TensorProto.newBuilder().setDataType(6).addDims(2).build();
        assertTrue(assertThrows(OnnxException.class, () -> TensorProtos.toTensor(noData)).getMessage()
                .startsWith("unnamed tensor has 0 values in int32_data"));

        TensorProto negative = TensorProto.newBuilder().setName("n").setDataType(1).addDims(-1).build();
        assertTrue(assertThrows(OnnxException.class, () -> TensorProtos.toTensor(negative)).getMessage()
                .contains("invalid dimension -1"));

        Path garbage = dir.resolve("garbage.pb");
        Files.write(garbage, new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
        OnnxException e = assertThrows(OnnxException.class, () -> TensorProtos.read(garbage));
        assertTrue(e.getMessage().startsWith(garbage + ": not a TensorProto file"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));

        Path fp8 = dir.resolve("fp8.pb");
        Files.write(fp8, TensorProto.newBuilder().setName("y").setDataType(17).addDims(1).addInt32Data(0x38)
                .build().toByteArray());
        assertEquals(fp8 + ": tensor 'y' has type float8e4m3fn, which is not supported",
                assertThrows(OnnxException.class, () -> TensorProtos.read(fp8)).getMessage());
    }
}
