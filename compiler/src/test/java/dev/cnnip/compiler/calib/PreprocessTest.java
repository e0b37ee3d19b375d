package dev.cnnip.compiler.calib;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PreprocessTest {
    @Test
    void emptySpecIsTheDefault() {
        Preprocess p = Preprocess.parse("");
        assertEquals(Preprocess.DEFAULT, p);
        assertFalse(p.hasSize());
        assertTrue(p.isIdentity());
        assertEquals(Preprocess.Color.RGB, p.color());
        assertEquals(Preprocess.Layout.NCHW, p.layout());
        assertEquals(200.0, p.normalize(200, 2));
    }

    @Test
    void resizeColourMeanStd() {
        Preprocess p = Preprocess.parse("resize=320x240, BGR ,mean=0,std=1");
        assertEquals(320, p.width());
        assertEquals(240, p.height());
        assertEquals(Preprocess.Color.BGR, p.color());
        assertTrue(p.isIdentity());
    }

    @Test
    void meanAndStdPerChannel() {
        Preprocess p = Preprocess.parse("rgb,mean=127,std=128");
        assertEquals((255 - 127) / 128.0, p.normalize(255, 0));
        Preprocess imagenet = Preprocess.parse("mean=123.675:116.28:103.53,std=58.395:57.12:57.375,nhwc");
        assertArrayEquals(new double[] {123.675, 116.28, 103.53}, imagenet.mean());
        assertEquals((0 - 103.53) / 57.375, imagenet.normalize(0, 2));
        assertEquals(Preprocess.Layout.NHWC, imagenet.layout());
    }

    @Test
    void scaleTakesFractions() {
        Preprocess p = Preprocess.parse("scale=1/255,gray");
        assertEquals(1.0, p.normalize(255, 0), 1e-15);
        assertEquals(Preprocess.Color.GRAY, p.color());
        assertFalse(p.isIdentity());
    }

    @Test
    void toStringReadsBack() {
        for (String s : new String[] {"", "resize=320x320,bgr,mean=0,std=1", "mean=123.675:116.28:103.53,std=58.395:57.12:57.375,nhwc",
                "scale=1/255,gray", "rgb,mean=127.5,std=128"}) {
            Preprocess p = Preprocess.parse(s);
            assertEquals(p, Preprocess.parse(p.toString()), s);
        }
        assertEquals("resize=320x320,bgr,mean=0,std=1,nchw", Preprocess.parse("resize=320x320,bgr").toString());
    }

    @Test
    void badSpecsGiveOneLineNamingTheSpecAndItem() {
        bad("rgb,foo=1", "preprocessing spec 'rgb,foo=1': unknown item 'foo=1' (items: resize=WxH, rgb, bgr, gray, mean=, std=, scale=, nchw, nhwc)");
        bad("flip", "preprocessing spec 'flip': unknown item 'flip'");
        bad("rgb,bgr", "preprocessing spec 'rgb,bgr': the colour order is given twice");
        bad("nchw,nhwc", "the layout is given twice");
        bad("mean=1,mean=2", "the mean is given twice");
        bad("resize=320", "resize=320 is not WxH, e.g. resize=320x240");
        bad("resize=0x10", "resize width '0' is not a positive whole number");
        bad("std=0", "std=0 must be a finite number > 0");
        bad("mean=abc", "mean=abc is not a number (decimal, or a fraction such as 1/255)");
        bad("mean=NaN", "mean=nan is not a number");
        bad("scale=1/0", "scale=1/0 must be a finite number > 0");
        bad("scale=1/255,mean=0", "scale cannot be combined with mean/std");
        bad("gray,mean=1:2:3", "3 mean/std values for 1 channel (give one, or one per channel)");
        bad("mean=1:2", "2 mean/std values for 3 channels");
        bad("rgb,,bgr", "an empty item");
        bad("mean", "'mean' needs a value, as in mean=…");
        bad("rgb=1", "'rgb' takes no value");
    }

    private static void bad(String spec, String expected) {
        CalibrationDataException e = assertThrows(CalibrationDataException.class, () -> Preprocess.parse(spec));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().startsWith("preprocessing spec '" + spec + "': "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }
}
