package dev.cnnip.numerics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class QuantizeTest {
    @Test
    void quantizeDividesRoundsHalfEvenAndSaturates() {
        assertEquals(128, Quantize.quantize(1f, 2f, 128, 0, 255));   // 0.5 -> 0 (half to even)
        assertEquals(130, Quantize.quantize(3f, 2f, 128, 0, 255));   // 1.5 -> 2
        assertEquals(255, Quantize.quantize(1e9f, 2f, 128, 0, 255));
        assertEquals(-128, Quantize.quantize(-1e9f, 1f, 0, -128, 127));
    }

    @Test
    void matchesOnnxQuantizeLinearExample() {
        // ONNX QuantizeLinear example: x = [0, 2, 3, 1000, -254, -1000], scale 2, zp 128
        float[] x = {0, 2, 3, 1000, -254, -1000};
        int[] y = {128, 129, 130, 255, 1, 0};
        for (int i = 0; i < x.length; i++) assertEquals(y[i], Quantize.quantize(x[i], 2f, 128, 0, 255), "x=" + x[i]);
    }

    @Test
    void dequantizeMultipliesInFloat() {
        assertEquals(-256f, Quantize.dequantize(0, 128, 2f));
        assertEquals(0.1f * 3, Quantize.dequantize(3, 0, 0.1f));
    }
}
