package dev.cnnip.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnip.isa.Opcode;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Every opcode of the instruction table has an emulator test with an independent oracle: this table
 * names it, the test checks that the method exists, is a test, and that its class's source mentions the
 * mnemonic. Adding an opcode fails here until its test is written and listed.
 */
class OpcodeCoverageTest {
    static final Map<Opcode, List<String>> TESTS = new EnumMap<>(Opcode.class);

    static {
        TESTS.put(Opcode.NOP, List.of("ControlOpsTest#syncsAndNopOnlyPassSemaphoreTokens"));
        TESTS.put(Opcode.LAYER_BEGIN, List.of("SchedulingTest#stateIsInspectableAtEveryBoundaryAndLayersAreReported"));
        TESTS.put(Opcode.LAYER_END, List.of("SchedulingTest#stateIsInspectableAtEveryBoundaryAndLayersAreReported"));
        TESTS.put(Opcode.TRAP, List.of("SchedulingTest#faultsAreOneLine"));
        TESTS.put(Opcode.FINISH, List.of("ControlOpsTest#finishRetiresAfterEveryOtherQueueHasDrained"));
        TESTS.put(Opcode.LD, List.of("DmaTest#loadAndStoreRandomStridedCopies", "DmaTest#transposesWithOneByteElements"));
        TESTS.put(Opcode.ST, List.of("DmaTest#loadAndStoreRandomStridedCopies"));
        for (Opcode set : List.of(Opcode.LD_SET, Opcode.EX_SET, Opcode.PP_SET, Opcode.ST_SET)) {
            TESTS.put(set, List.of("ControlOpsTest#setWritesTheNamedRegistersOfItsEngineOnly"));
        }
        for (Opcode sync : List.of(Opcode.LD_SYNC, Opcode.EX_SYNC, Opcode.PP_SYNC, Opcode.ST_SYNC)) {
            TESTS.put(sync, List.of("ControlOpsTest#syncsAndNopOnlyPassSemaphoreTokens"));
        }
        TESTS.put(Opcode.EX_CONV, List.of("ConvTest#randomConvolutionsMatchTheDirectReference", "ConvTest#int32AccumulatorsWrap"));
        TESTS.put(Opcode.PP_REQUANT, List.of("PpTest#requantBothModes", "PpTest#requantRoundsHalfToEvenInF32AndHalfUpInInt"));
        TESTS.put(Opcode.PP_QUANT, List.of("PpTest#quantizeAndDequantizeWithPerChannelTables"));
        TESTS.put(Opcode.PP_DEQUANT, List.of("PpTest#quantizeAndDequantizeWithPerChannelTables"));
        TESTS.put(Opcode.PP_MAXPOOL, List.of("PpTest#maxpoolWithPaddingAndEmptyWindows"));
        TESTS.put(Opcode.PP_AVGPOOL, List.of("PpOracleTest#avgpoolWithPaddingBothDivisorsAndEmptyWindows"));
        TESTS.put(Opcode.PP_ADD, List.of("PpTest#addInBothModesAndWithScalarB"));
        TESTS.put(Opcode.PP_MUL, List.of("PpOracleTest#mulInBothModesWithFullScalarAndModuloB"));
        TESTS.put(Opcode.PP_LUT, List.of("PpTest#lookupTables", "PpOracleTest#lookupTablesIndexedBySixteenBitCodes"));
        TESTS.put(Opcode.PP_SOFTMAX, List.of("PpOracleTest#softmaxRowsOfUnsignedAndSignedCodes"));
        TESTS.put(Opcode.PP_SOFTMAXF, List.of("PpOracleTest#floatSoftmaxRowsOfSixteenBitCodes"));
        TESTS.put(Opcode.PP_LRN, List.of("PpOracleTest#lrnAcrossChannelsOfUnsignedAndSignedCodes"));
    }

    @Test
    void everyOpcodeHasAnOracleTest() throws Exception {
        TreeSet<String> missing = new TreeSet<>();
        for (Opcode o : Opcode.values()) if (!TESTS.containsKey(o)) missing.add(o.mnemonic());
        assertEquals(new TreeSet<String>(), missing, "opcodes without an emulator test: add one and list it here");
        for (Map.Entry<Opcode, List<String>> e : TESTS.entrySet()) {
            for (String ref : e.getValue()) {
                String[] cm = ref.split("#");
                Class<?> c = Class.forName("dev.cnnip.emulator." + cm[0]);
                Method m = null;
                for (Method k : c.getDeclaredMethods()) if (k.getName().equals(cm[1])) m = k;
                assertTrue(m != null, ref + " does not exist");
                assertTrue(m.isAnnotationPresent(Test.class)
                        || m.isAnnotationPresent(org.junit.jupiter.params.ParameterizedTest.class), ref + " is not a test");
                String src = source(cm[0]);
                assertTrue(src.contains(e.getKey().mnemonic()), cm[0] + " never mentions " + e.getKey().mnemonic());
            }
        }
    }

    private static String source(String cls) throws IOException {
        return Files.readString(Path.of("src/test/java/dev/cnnip/emulator/" + cls + ".java"));
    }
}
