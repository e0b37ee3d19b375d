package dev.cnnip.hw;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/** Canonical decimal text of {@code double} values, identical on every JDK. */
final class Reals {
    private Reals() {}

    /**
     * The shortest decimal that parses back to {@code v}, found by rounding the exact binary value to
     * 1, 2, … 17 significant digits (half-even). Plain notation for magnitudes in [1e-6, 1e21),
     * otherwise {@code 1.5E+30} style; no trailing zeros, so {@code 800.0} is {@code 800}.
     *
     * <p>Why not {@link Double#toString}: its digits changed in JDK 19 (e.g. {@code 2.0E-3} was
     * {@code 0.0020}), and this text feeds {@link HwConfig#hash()}, which must not depend on the JDK.
     */
    static String format(double v) {
        if (!Double.isFinite(v)) throw new IllegalArgumentException("not a finite number: " + v);
        if (v == 0) return "0";
        BigDecimal exact = new BigDecimal(v);
        for (int digits = 1; digits <= 17; digits++) {
            BigDecimal r = exact.round(new MathContext(digits, RoundingMode.HALF_EVEN));
            if (Double.parseDouble(r.toString()) == v) return render(r.stripTrailingZeros());
        }
        throw new AssertionError("17 significant digits always round-trip a double: " + v);
    }

    private static String render(BigDecimal d) {
        int exponent = d.precision() - d.scale() - 1; // decimal exponent of the leading digit
        return exponent >= -6 && exponent < 21 ? d.toPlainString() : d.toString();
    }
}
