package dev.cnnip.compiler.calib;

import dev.cnnip.onnx.OnnxException;
import dev.cnnip.onnx.TensorProtos;
import dev.cnnip.onnx.proto.TensorProto;
import dev.cnnip.tensor.Tensor;
import java.nio.file.Path;
import java.util.List;

/** ONNX {@code TensorProto} files ({@code .pb}), one item each, for one input. */
final class PbFilesSource implements TensorSource {
    private final List<Path> files;
    private final InputSpec input;
    private final boolean checkName;

    /**
     * @param checkName whether a tensor's non-empty name must be the input's name (test-style folders,
     *                  where names say which input a file feeds)
     */
    PbFilesSource(List<Path> files, InputSpec input, boolean checkName) {
        this.files = List.copyOf(files);
        this.input = input;
        this.checkName = checkName;
    }

    @Override
    public int size() {
        return files.size();
    }

    @Override
    public Tensor load(int i) {
        Path file = files.get(i);
        Tensor t;
        try {
            TensorProto tp = TensorProtos.readProto(file);
            if (checkName && !tp.getName().isEmpty() && !tp.getName().equals(input.name())) {
                throw new CalibrationDataException(file + ": holds tensor '" + tp.getName() + "', but feeds input '"
                        + input.name() + "'");
            }
            t = TensorProtos.toTensor(tp);
        } catch (OnnxException e) {
            String m = e.getMessage();
            throw new CalibrationDataException(m.startsWith(file.toString()) ? m : file + ": " + m, e);
        }
        ItemCheck.check(t, input, file.toString());
        return t;
    }

    @Override
    public String where(int i) {
        return files.get(i).toString();
    }
}
