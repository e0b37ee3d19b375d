package dev.cnnip.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    private List<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    @Test
    void aWrittenFileHasTheModeOfAnyNewFile() throws IOException {
        Assumptions.assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        // The reference: a file created the ordinary way, which the operating system gives 0666 & ~umask.
        Path plain = Files.createFile(dir.resolve("plain"));
        Path written = dir.resolve("written.bin");
        AtomicFiles.write(written, new byte[] {1, 2, 3});
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(written));
        Path npy = dir.resolve("t.npy");
        Npy.write(npy, Tensor.zeros(DType.UINT8, 2, 2));
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(npy));
    }

    @Test
    void replacesTheWholeFileAndLeavesNoTemporaryFile() throws IOException {
        Path f = dir.resolve("sub/out.bin");
        AtomicFiles.write(f, new byte[100_000]);
        byte[] small = {9, 8, 7};
        AtomicFiles.write(f, small);
        assertArrayEquals(small, Files.readAllBytes(f));
        assertEquals(List.of(dir.resolve("sub")), files());
        try (Stream<Path> s = Files.list(dir.resolve("sub"))) {
            assertEquals(List.of(f), s.toList());
        }
    }

    @Test
    void aFolderInTheWayIsAnErrorAndStays() throws IOException {
        Path d = Files.createDirectory(dir.resolve("out.bin"));
        FileSystemException e = assertThrows(FileSystemException.class, () -> AtomicFiles.write(d, new byte[] {1}));
        assertEquals("is a folder", e.getReason());
        assertTrue(Files.isDirectory(d));
        assertEquals(List.of(d), files(), "no temporary file");
    }
}
