package dev.cnnip.compiler.calib;

import dev.cnnip.tensor.Tensor;
import java.nio.file.Path;
import java.util.List;

/** Image files, one item each, for one input, converted by a {@link Preprocess} spec. */
final class ImageFilesSource implements TensorSource {
    private final List<Path> files;
    private final InputSpec input;
    private final Preprocess pp;

    ImageFilesSource(List<Path> files, InputSpec input, Preprocess pp) {
        this.files = List.copyOf(files);
        this.input = input;
        this.pp = pp;
    }

    @Override
    public int size() {
        return files.size();
    }

    @Override
    public Tensor load(int i) {
        Tensor t = ImageTensors.load(files.get(i), pp, input);
        ItemCheck.finite(t, where(i));
        return t;
    }

    @Override
    public String where(int i) {
        return files.get(i).toString();
    }
}
