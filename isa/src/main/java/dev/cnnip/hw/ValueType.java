package dev.cnnip.hw;

/** The Java type of a hardware parameter's value. */
public enum ValueType {
    /** A {@code long}; JSON integer; command line decimal or {@code 0x} hex, {@code _} separators allowed. */
    INTEGER,
    /** A finite {@code double}; JSON number; command line decimal with optional exponent. */
    REAL,
    /** A {@code String} from a fixed list of choices. */
    CHOICE
}
