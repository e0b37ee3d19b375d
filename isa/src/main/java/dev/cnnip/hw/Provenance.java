package dev.cnnip.hw;

import java.util.Locale;

/** Where a hardware parameter's default value comes from; reports print it beside every value. */
public enum Provenance {
    /** Published by the vendor (datasheet, product page, vendor blog). */
    DATASHEET,
    /** Published in a paper (e.g. ISSCC), not confirmed by the vendor's own documents. */
    PAPER,
    /** Not public: a plausible value chosen by this project; treat results depending on it as estimates. */
    ASSUMED,
    /** A modelling choice, not a property of the hardware (e.g. which timing model to use). */
    KNOB;

    /** Lower-case label as written in docs and reports, e.g. {@code datasheet}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
