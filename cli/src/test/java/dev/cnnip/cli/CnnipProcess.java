package dev.cnnip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs the real command line, {@code java -cp <the test classpath> dev.cnnip.cli.Cnnip ARGS}, in a
 * child process under a given umask, with standard output and error redirected to files, as a user's
 * {@code cnnip ARGS > out 2> err} does: what lands in the files is what {@link Cnnip#main} flushed
 * before {@code System.exit}. It runs in the C locale ({@link #cLocale}). (The {@code ./cnnip} launcher runs the same main class from the jar that
 * the package phase builds, after the tests.)
 *
 * @param code exit code
 * @param out  standard output, complete
 * @param err  standard error, complete
 */
record CnnipProcess(int code, String out, String err) {
    /** The umask the tests run under unless they say otherwise: 0640 files, unlike the old 0600 and the usual 0644. */
    static final String UMASK = "027";
    private static final long TIMEOUT_MINUTES = 10;

    /** Runs {@code cnnip ARGS} in {@code dir} under {@link #UMASK}. */
    static CnnipProcess run(Path dir, String... args) {
        return runUnder(dir, UMASK, args);
    }

    /** Runs {@code cnnip ARGS} in {@code dir} under {@code umask} (octal digits). */
    static CnnipProcess runUnder(Path dir, String umask, String... args) {
        return runUnder(dir, umask, List.of(), args);
    }

    /** Runs {@code cnnip ARGS} in {@code dir} under {@link #UMASK} with these JVM options added (system properties, say). */
    static CnnipProcess runWithJvmOptions(Path dir, List<String> jvmOptions, String... args) {
        return runUnder(dir, UMASK, jvmOptions, args);
    }

    private static CnnipProcess runUnder(Path dir, String umask, List<String> jvmOptions, String... args) {
        Path stdout = dir.resolve(".stdout");
        CnnipProcess r = runTo(dir, umask, stdout, jvmOptions, args);
        try {
            Files.delete(stdout);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return r;
    }

    /**
     * Runs {@code cnnip ARGS > stdout} ({@code stdout} a file, which stays, or a device such as
     * {@code /dev/full}); {@link #out} is what the file holds afterwards.
     */
    static CnnipProcess runTo(Path dir, String umask, Path stdout, String... args) {
        return runTo(dir, umask, stdout, List.of(), args);
    }

    private static CnnipProcess runTo(Path dir, String umask, Path stdout, List<String> jvmOptions, String... args) {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "needs a POSIX shell to set the umask");
        List<String> cmd = new ArrayList<>(List.of("/bin/sh", "-c", "umask " + umask + " && exec \"$@\"", "sh"));
        List<String> java = javaCommand();
        cmd.addAll(java.subList(0, java.size() - 1));
        cmd.addAll(jvmOptions);
        cmd.add(java.get(java.size() - 1));
        cmd.addAll(List.of(args));
        Path err = dir.resolve(".stderr");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectOutput(stdout.toFile())
                .redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        cLocale(pb);
        try {
            Process p = pb.start();
            if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                fail("cnnip " + String.join(" ", args) + " did not end in " + TIMEOUT_MINUTES + " minutes");
            }
            String out = Files.isRegularFile(stdout) ? read(stdout) : "";
            CnnipProcess r = new CnnipProcess(p.exitValue(), out, read(err));
            Files.delete(err);
            return r;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The plain C locale: Java 17 then defaults to US-ASCII, which output must not depend on, and system
     * error messages (strerror) are in English.
     */
    static void cLocale(ProcessBuilder pb) {
        pb.environment().keySet().removeIf(k -> k.startsWith("LC_"));
        pb.environment().put("LANG", "C");
        pb.environment().put("LC_ALL", "C");
    }

    /**
     * {@code java -cp CLASSPATH dev.cnnip.cli.Cnnip}: this JVM's binary and the test classpath (surefire
     * sets it), with the quick-start JIT and one GC thread, which suit short runs on a shared machine.
     */
    static List<String> javaCommand() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return List.of(java, "-Xmx2g", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), Cnnip.class.getName());
    }

    /** Output as the child writes it: UTF-8 ({@link StdOut}). */
    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    /** Lines of standard output. */
    List<String> outLines() {
        return out.lines().toList();
    }

    /** Asserts success: exit 0 and nothing on standard error (no progress bar, no warning). */
    CnnipProcess assertOk() {
        assertEquals(0, code, () -> "exit code; stderr: " + err);
        assertEquals("", err, "stderr");
        return this;
    }

    /** Asserts one error line on stderr, exactly {@code line}, exit {@code exit}, and no stack trace. */
    CnnipProcess assertError(int exit, String line) {
        assertEquals(exit, code, () -> "exit code; stderr: " + err);
        assertEquals(line + "\n", err, "one error line");
        assertFalse(err.contains("\tat "), "no stack trace");
        return this;
    }

    /** Asserts one error line on stderr that starts with {@code prefix} and contains {@code part}, exit {@code exit}. */
    CnnipProcess assertErrorLike(int exit, String prefix, String part) {
        assertEquals(exit, code, () -> "exit code; stderr: " + err);
        assertTrue(err.endsWith("\n") && err.indexOf('\n') == err.length() - 1, () -> "one error line: " + err);
        assertTrue(err.startsWith(prefix), err);
        assertTrue(err.contains(part), err);
        assertFalse(err.contains("\tat "), "no stack trace");
        return this;
    }

    /** The permission bits of {@code file}, e.g. {@code rw-r-----}. */
    static String mode(Path file) throws IOException {
        Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
        return PosixFilePermissions.toString(p);
    }

    /** The mode a new file gets under {@code umask}: {@code 0666 & ~umask}, as {@code rw-r-----}. */
    static String fileModeUnder(String umask) {
        int mode = 0666 & ~Integer.parseInt(umask, 8);
        StringBuilder sb = new StringBuilder();
        for (int shift = 6; shift >= 0; shift -= 3) {
            int bits = mode >> shift;
            sb.append((bits & 4) != 0 ? 'r' : '-').append((bits & 2) != 0 ? 'w' : '-').append((bits & 1) != 0 ? 'x' : '-');
        }
        return sb.toString();
    }
}
