package dev.cnnip.tensor;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes files so that a reader never sees a partial file: a temporary sibling, then a rename.
 *
 * <p>The temporary file is created like any new file (no permission attributes), so the operating
 * system gives it, and after the rename the target, the mode of the user's umask ({@code 0666 & ~umask},
 * e.g. {@code 0644} under umask 022), as a shell redirection would. {@link Files#createTempFile} is not
 * used because it always creates mode {@code 0600}, which left every written file unreadable to the
 * user's group. A file that is replaced gets the new file's mode, not the old one's.
 *
 * <p>Atomic for readers and against a failing or killed writer (the rename happens only after every byte
 * is written; a failed write removes the temporary file, and so does an interrupted process (Ctrl-C,
 * SIGTERM) through a shutdown hook; only SIGKILL or a crash can leave a hidden {@code .NAME.*.tmp}
 * beside the target, never a partial target). The data is not forced to the device (no
 * fsync, as build tools do not), so a power cut right after a write may lose that write.
 */
public final class AtomicFiles {
    private static final int NAME_ATTEMPTS = 100;
    /** Temporary files being written, removed by a shutdown hook when the process is interrupted (Ctrl-C, SIGTERM). */
    private static final Set<Path> IN_FLIGHT = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (Path p : IN_FLIGHT) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // best effort while the process ends
                }
            }
        }, "AtomicFiles cleanup"));
    }

    private AtomicFiles() {}

    /** Writes {@code bytes} to {@code target} atomically (temporary file in the same folder, then move). */
    public static void write(Path target, byte[] bytes) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir != null) Files.createDirectories(dir);
        // Files.move would replace an empty folder of that name.
        if (Files.isDirectory(abs)) throw new FileSystemException(target.toString(), null, "is a folder");
        Path tmp = null;
        FileChannel ch = null;
        for (int i = 0; ch == null; i++) {
            // A fresh name each attempt; CREATE_NEW fails rather than reuse another writer's file.
            tmp = dir.resolve("." + abs.getFileName() + "." + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36)
                    + ".tmp");
            try {
                IN_FLIGHT.add(tmp);
                ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (FileAlreadyExistsException e) {
                IN_FLIGHT.remove(tmp);
                if (i + 1 >= NAME_ATTEMPTS) throw failure(target, e);
            } catch (IOException e) {
                IN_FLIGHT.remove(tmp);
                throw failure(target, e);
            }
        }
        try (OutputStream out = Channels.newOutputStream(ch)) {
            out.write(bytes);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            IN_FLIGHT.remove(tmp);
            throw failure(target, e);
        } catch (RuntimeException e) {
            Files.deleteIfExists(tmp);
            IN_FLIGHT.remove(tmp);
            throw e;
        }
        try {
            try {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw failure(target, e);
        } finally {
            Files.deleteIfExists(tmp);
            IN_FLIGHT.remove(tmp);
        }
    }

    /**
     * An error that names the target, not the temporary file the user never asked for, e.g. {@code
     * out/p.cnnip: cannot write (permission denied)}.
     */
    private static FileSystemException failure(Path target, IOException e) {
        String why;
        if (e instanceof java.nio.file.NoSuchFileException) why = "no such file or folder";
        else if (e instanceof java.nio.file.AccessDeniedException) why = "permission denied";
        else if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) why = f.getReason();
        else why = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        FileSystemException out = new FileSystemException(target.toString(), null, "cannot write (" + why + ")");
        out.initCause(e);
        return out;
    }
}
