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

    /**
     * Old and new bytes of a changed range: all of it when it is at most 32 bytes, else the 32 bytes from
     * the 16-byte row holding the first change, with their address and the count of changed bytes.
     */
    static String diff(long base, byte[] old, byte[] now) {
        int first = 0;
        int changed = 0;
        for (int i = old.length - 1; i >= 0; i--) {
            if (old[i] != now[i]) {
                first = i;
                changed++;
            }
        }
        int from = old.length <= 32 ? 0 : first - first % 16;
        int to = Math.min(old.length, from + 32);
        String at = old.length <= 32 ? "" : String.format(" (0x%x.., %d of %d bytes changed)", base + from, changed, old.length);
        return "  old: " + bytes(java.util.Arrays.copyOfRange(old, from, to), 32) + at
                + "\n  new: " + bytes(java.util.Arrays.copyOfRange(now, from, to), 32);
    }
}
