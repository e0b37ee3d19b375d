package dev.cnnip.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Parses {@code NAME=1x3x224x224} shape options. */
final class Shapes {
    private Shapes() {}

    static Map<String, int[]> parse(List<String> specs) {
        Map<String, int[]> out = new LinkedHashMap<>();
        for (String s : specs) {
            int eq = s.lastIndexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("--input-shape '" + s + "': expected NAME=1x3x224x224");
            String[] dims = s.substring(eq + 1).split("x");
            int[] shape = new int[dims.length];
            try {
                for (int i = 0; i < dims.length; i++) {
                    shape[i] = Integer.parseInt(dims[i].trim());
                    if (shape[i] <= 0) throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--input-shape '" + s + "': dimensions must be positive integers");
            }
            out.put(s.substring(0, eq), shape);
        }
        return out;
    }
}
