package dev.cnnip.ort;

import ai.onnxruntime.OrtEnvironment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The process-wide ONNX Runtime environment, and removal of the native-library folder ONNX
 * Runtime extracts for this JVM.
 *
 * <p>Why: the Java binding copies its shared libraries into a fresh {@code java.io.tmpdir}
 * folder {@code onnxruntime-java<random>} per JVM and asks for the files and the folder to be
 * deleted on exit. {@code File.deleteOnExit} deletes in reverse order of registration, so the
 * folder comes first while still full, fails, and an empty folder is left behind by every JVM
 * (every test fork, every CLI call).
 *
 * <p>Decision: right after the libraries are loaded, find the folder they were loaded from in
 * {@code /proc/self/maps} (the kernel's record of this process's mappings, so it is certainly
 * the folder this JVM created, never another JVM's) and delete its files and itself. On Linux
 * unlinking a loaded library is harmless: the mapping keeps the inode alive until exit. Where
 * {@code /proc/self/maps} does not exist (macOS, Windows, which cannot delete a loaded DLL anyway)
 * nothing is done. The alternative, the system property {@code onnxruntime.native.path} pointing
 * to libraries extracted once in advance, would need a shared, versioned cache folder managed
 * outside the JVM, and ONNX Runtime still creates (and, being empty, then removes) its temporary
 * folder. The CPU-only package loads no execution-provider library later, so nothing needs the
 * folder after start-up.
 */
final class OrtNative {
    private static final String FOLDER_PREFIX = "onnxruntime-java";

    private OrtNative() {}

    /** The environment; the first call loads the native libraries. */
    static OrtEnvironment environment() {
        return Holder.ENV;
    }

    private static final class Holder {
        static final OrtEnvironment ENV = init();

        private static OrtEnvironment init() {
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            try {
                removeExtractedLibraries(Path.of("/proc/self/maps"), Path.of(System.getProperty("java.io.tmpdir")));
            } catch (RuntimeException e) {
                // Best effort by design: a leftover folder costs only disk space.
            }
            return env;
        }
    }

    /**
     * Deletes the {@code onnxruntime-java*} folders directly under {@code tmpDir} from which
     * libraries listed in {@code maps} (the format of {@code /proc/self/maps}) were loaded, with
     * their files. Best effort: on failure the folder is left to ONNX Runtime's own exit hook.
     *
     * @return the folders removed
     */
    static Set<Path> removeExtractedLibraries(Path maps, Path tmpDir) {
        Set<Path> removed = new LinkedHashSet<>();
        try {
            if (!Files.isReadable(maps)) return removed;
            for (Path dir : loadedFrom(Files.readAllLines(maps), tmpDir.toRealPath())) {
                if (deleteFolder(dir)) removed.add(dir);
            }
        } catch (IOException | UncheckedIOException | SecurityException e) {
            // Best effort by design: a leftover folder costs only disk space.
        }
        return removed;
    }

    /** Folders {@code tmp/onnxruntime-java*} holding a mapped ONNX Runtime library. */
    static Set<Path> loadedFrom(List<String> mapsLines, Path tmp) {
        Set<Path> dirs = new LinkedHashSet<>();
        for (String line : mapsLines) {
            int slash = line.indexOf('/');
            if (slash < 0 || line.endsWith(" (deleted)")) continue;
            Path lib = Path.of(line.substring(slash));
            Path dir = lib.getParent();
            if (dir != null && tmp.equals(dir.getParent()) && dir.getFileName().toString().startsWith(FOLDER_PREFIX)
                    && lib.getFileName().toString().contains("onnxruntime")) {
                dirs.add(dir);
            }
        }
        return dirs;
    }

    private static boolean deleteFolder(Path dir) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                if (Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)) Files.deleteIfExists(f);
            }
        }
        return Files.deleteIfExists(dir);
    }
}
