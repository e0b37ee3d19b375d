package dev.cnnip.debugger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnip.tensor.DType;
import dev.cnnip.tensor.Tensor;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Slices against numpy's answers (slices.txt, made by make_fixtures.py). */
class SliceTest {
    @Test
    void matchesNumpy() throws Exception {
        Tensor a = Tensor.zeros(DType.INT32, 2, 3, 4, 5);
        for (int i = 0; i < a.size(); i++) a.setLong(i, i);
        int checked = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                SliceTest.class.getResourceAsStream("slices.txt"), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("#")) continue;
                String[] f = line.split("\\|", -1);
                Tensor t = Slice.parse(f[0]).apply(a);
                int[] shape = Arrays.stream(f[1].split(",")).mapToInt(Integer::parseInt).toArray();
                long[] values = f[2].isEmpty() ? new long[0] : Arrays.stream(f[2].split(",")).mapToLong(Long::parseLong).toArray();
                assertArrayEquals(shape, t.shape(), f[0]);
                assertArrayEquals(values, t.toLongArray(), f[0]);
                checked++;
            }
        }
        assertEquals(11, checked);
    }

    @Test
    void badSlicesAreOneLineUserErrors() {
        Tensor a = Tensor.zeros(DType.UINT8, 1, 2, 3);
        UserError e = assertThrows(UserError.class, () -> Slice.parse("[0,5]").apply(a));
        assertEquals("bad slice [0,5]: index 5 is out of range for axis 1 of size 2", e.getMessage());
        assertTrue(assertThrows(UserError.class, () -> Slice.parse("[0,0,0,0]").apply(a)).getMessage()
                .contains("4 indices for a rank-3 tensor"));
        assertTrue(assertThrows(UserError.class, () -> Slice.parse("[a]")).getMessage().contains("'a' is not an integer"));
        assertTrue(assertThrows(UserError.class, () -> Slice.parse("[::0]")).getMessage().contains("step must not be 0"));
        assertTrue(assertThrows(UserError.class, () -> Slice.parse("0,1")).getMessage().startsWith("bad slice"));
    }
}
