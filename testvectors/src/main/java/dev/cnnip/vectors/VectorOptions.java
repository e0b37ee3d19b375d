package dev.cnnip.vectors;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What an export writes.
 *
 * @param layers  layers to export (names or indices); empty: every layer
 * @param formats encodings of the layer tensors ({@code npy}, {@code hex}, {@code bin}); {@code hex}
 *                also adds {@code dram/init.hex} and {@code dram/final.hex}, {@code bin} adds {@code sram.bin}
 *                next to each layer's {@code sram.hex}
 */
public record VectorOptions(List<String> layers, Set<Encoding> formats) {
    /** A tensor or memory encoding. */
    public enum Encoding {
        NPY, HEX, BIN;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** {@code npy}, {@code hex} or {@code bin}, any case. */
        public static Encoding parse(String s) {
            for (Encoding e : values()) if (e.label().equalsIgnoreCase(s.trim())) return e;
            throw new IllegalArgumentException("unknown format '" + s.trim() + "' (known: npy, hex, bin)");
        }
    }

    public VectorOptions {
        layers = List.copyOf(layers);
        if (formats.isEmpty()) throw new IllegalArgumentException("at least one format (npy, hex, bin) is needed");
        formats = Set.copyOf(EnumSet.copyOf(formats));
    }

    /** Every layer, {@code .npy} tensors and {@code .hex} memory images. */
    public static VectorOptions defaults() {
        return new VectorOptions(List.of(), EnumSet.of(Encoding.NPY, Encoding.HEX));
    }

    /** Parses {@code npy,hex,bin}. */
    public static Set<Encoding> parseFormats(String csv) {
        EnumSet<Encoding> out = EnumSet.noneOf(Encoding.class);
        for (String s : csv.split(",")) if (!s.isBlank()) out.add(Encoding.parse(s));
        return out;
    }

    public boolean has(Encoding e) {
        return formats.contains(e);
    }

    /** The formats in canonical order (npy, hex, bin). */
    public List<Encoding> formatList() {
        return EnumSet.copyOf(formats).stream().toList();
    }
}
