package dev.cnnip.ort;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession.SessionOptions;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Session settings for {@link OrtRunner}. {@link #defaults()} is the reference configuration the
 * numerics contract was measured with (DESIGN section 3).
 *
 * @param optLevel graph optimisation level; EXTENDED or ALL fuse QDQ groups into the integer
 *     kernels whose results the {@code ort} numerics mode reproduces bit for bit
 * @param x64QuantPrecision sets {@code session.x64quantprecision=1}: on x86 without VNNI the u8×s8
 *     kernels can saturate 16-bit pair sums; this selects the exact u8×u8 path (no effect elsewhere)
 * @param intraOpThreads threads inside one operator, at least 1; 1 fixes the reduction order
 * @param interOpThreads threads across operators, at least 1
 * @param optimizedModelPath where ONNX Runtime writes the model after its graph optimisations (to
 *     see which QDQ groups it fused), or {@code null} for none
 */
public record OrtOptions(OptLevel optLevel, boolean x64QuantPrecision, int intraOpThreads, int interOpThreads,
                         Path optimizedModelPath) {

    /** ONNX Runtime graph optimisation levels. */
    public enum OptLevel { NONE, BASIC, EXTENDED, ALL }

    public OrtOptions {
        if (optLevel == null) throw new IllegalArgumentException("optLevel must be set");
        if (intraOpThreads < 1 || interOpThreads < 1) {
            throw new IllegalArgumentException("thread counts must be at least 1, got intra " + intraOpThreads
                    + ", inter " + interOpThreads);
        }
    }

    /** EXTENDED optimisation, {@code x64quantprecision=1}, one thread each, no optimized-model file. */
    public static OrtOptions defaults() {
        return new OrtOptions(OptLevel.EXTENDED, true, 1, 1, null);
    }

    public OrtOptions withOptLevel(OptLevel level) {
        return new OrtOptions(level, x64QuantPrecision, intraOpThreads, interOpThreads, optimizedModelPath);
    }

    public OrtOptions withX64QuantPrecision(boolean on) {
        return new OrtOptions(optLevel, on, intraOpThreads, interOpThreads, optimizedModelPath);
    }

    public OrtOptions withThreads(int intraOp, int interOp) {
        return new OrtOptions(optLevel, x64QuantPrecision, intraOp, interOp, optimizedModelPath);
    }

    public OrtOptions withOptimizedModelPath(Path path) {
        return new OrtOptions(optLevel, x64QuantPrecision, intraOpThreads, interOpThreads, path);
    }

    public Optional<Path> optimizedModel() {
        return Optional.ofNullable(optimizedModelPath);
    }

    /** Native session options; the caller closes them. */
    SessionOptions toSessionOptions() throws OrtException {
        SessionOptions so = new SessionOptions();
        try {
            so.setOptimizationLevel(switch (optLevel) {
                case NONE -> SessionOptions.OptLevel.NO_OPT;
                case BASIC -> SessionOptions.OptLevel.BASIC_OPT;
                case EXTENDED -> SessionOptions.OptLevel.EXTENDED_OPT;
                case ALL -> SessionOptions.OptLevel.ALL_OPT;
            });
            if (x64QuantPrecision) so.addConfigEntry("session.x64quantprecision", "1");
            so.setIntraOpNumThreads(intraOpThreads);
            so.setInterOpNumThreads(interOpThreads);
            so.setExecutionMode(SessionOptions.ExecutionMode.SEQUENTIAL);
            if (optimizedModelPath != null) so.setOptimizedModelFilePath(optimizedModelPath.toString());
            // Failures reach the caller as exceptions carrying ORT's message; its console log would
            // only repeat them.
            so.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
            return so;
        } catch (OrtException | RuntimeException e) {
            so.close();
            throw e;
        }
    }
}
