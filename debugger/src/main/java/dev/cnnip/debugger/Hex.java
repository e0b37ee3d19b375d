package dev.cnnip.debugger;

/** Hex dumps of byte arrays. */
final class Hex {
    private Hex() {}

    /** Up to {@code max} bytes as {@code 00 1f …}, with {@code … (+n)} when longer. */
    static String bytes(byte[] b, int max) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(max, b.length); i++) {
            if (i > 0) sb.append(' ');
            sb.append(String.format("%02x", b[i] & 0xFF));
        }
        if (b.length > max) sb.append(" ... (+").append(b.length - max).append(" bytes)");
        return sb.toString();
    }
}
