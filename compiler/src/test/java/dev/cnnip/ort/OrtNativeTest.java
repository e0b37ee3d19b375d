package dev.cnnip.ort;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OrtNativeTest {

    @Test
    void findsOnlyOwnExtractionFolders() {
        Path tmp = Path.of("/tmp");
        List<String> maps = List.of(
                "7f1a2b000000-7f1a2b100000 r-xp 00000000 08:01 1234 /tmp/onnxruntime-java123/libonnxruntime.so",
                "7f1a2c000000-7f1a2c100000 r--p 00000000 08:01 1235 /tmp/onnxruntime-java123/libonnxruntime4j_jni.so",
                "7f1a2d000000-7f1a2d100000 r-xp 00000000 08:01 1236 /tmp/onnxruntime-java456/libonnxruntime.so (deleted)",
                "7f1a2e000000-7f1a2e100000 r-xp 00000000 08:01 1237 /usr/lib/x86_64-linux-gnu/libc.so.6",
                "7f1a2f000000-7f1a2f100000 r-xp 00000000 08:01 1238 /tmp/other/libonnxruntime.so",
                "7f1a30000000-7f1a30100000 rw-p 00000000 00:00 0 [heap]");
        assertEquals(Set.of(Path.of("/tmp/onnxruntime-java123")), OrtNative.loadedFrom(maps, tmp));
    }

    @Test
    void removesTheFolderItsLibrariesCameFrom(@TempDir Path tmp) throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("onnxruntime-java42"));
        Path lib = Files.write(dir.resolve("libonnxruntime.so"), new byte[] {1});
        Files.write(dir.resolve("libonnxruntime4j_jni.so"), new byte[] {2});
        Path other = Files.createDirectory(tmp.resolve("onnxruntime-java43"));
        Path maps = Files.writeString(tmp.resolve("maps"), "7f00-7f10 r-xp 00000000 08:01 1 " + lib.toRealPath() + "\n");
        assertEquals(Set.of(dir.toRealPath()), OrtNative.removeExtractedLibraries(maps, tmp));
        assertFalse(Files.exists(dir));
        assertTrue(Files.exists(other), "another JVM's folder is left alone");
    }

    /** After start-up this JVM has no library mapped from a folder that still exists. */
    @Test
    void leavesNoExtractionFolderBehind() throws Exception {
        OrtNative.environment();
        Path maps = Path.of("/proc/self/maps");
        if (!Files.isReadable(maps)) return;
        Path tmp = Path.of(System.getProperty("java.io.tmpdir")).toRealPath();
        Set<Path> left = OrtNative.loadedFrom(Files.readAllLines(maps), tmp);
        assertTrue(left.isEmpty(), left.toString());
        List<String> ort = Files.readAllLines(maps).stream().filter(l -> l.contains("/onnxruntime-java")).toList();
        assertFalse(ort.isEmpty(), "ONNX Runtime is loaded from its extraction folder");
        assertTrue(ort.stream().allMatch(l -> l.endsWith(" (deleted)")), ort.toString());
    }
}
