package dev.cnnip.isa;

/** A field placed in an instruction word: bits {@code [lsb, lsb + field.width())}. */
public record FieldPos(F field, int lsb) {
    /** One past the most significant bit. */
    public int end() {
        return lsb + field.width();
    }
}
