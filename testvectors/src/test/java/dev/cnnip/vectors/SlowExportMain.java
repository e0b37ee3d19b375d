package dev.cnnip.vectors;

import java.nio.file.Path;

/** Test helper run in a child JVM: exports {@link TwoConvs} slowly, announcing each file, so a test can kill it midway. */
public final class SlowExportMain {
    private SlowExportMain() {}

    public static void main(String[] args) throws Exception {
        VectorExporter.export(TwoConvs.program(), TwoConvs.inputs(), VectorOptions.defaults(), Path.of(args[0]), false,
                p -> {
                    System.out.println("written " + p);
                    System.out.flush();
                    try {
                        Thread.sleep(200);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
        System.out.println("done");
    }
}
