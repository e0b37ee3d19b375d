package dev.cnnip.emulator.timing;

import java.util.Arrays;

/** A growable FIFO of longs (semaphore token times) without boxing. */
final class LongFifo {
    private long[] items = new long[8];
    private int head;
    private int size;

    void add(long v) {
        if (size == items.length) {
            long[] grown = new long[items.length * 2];
            for (int i = 0; i < size; i++) grown[i] = items[(head + i) % items.length];
            items = grown;
            head = 0;
        }
        items[(head + size) % items.length] = v;
        size++;
    }

    long peek() {
        if (size == 0) throw new IllegalStateException("empty");
        return items[head];
    }

    long poll() {
        long v = peek();
        head = (head + 1) % items.length;
        size--;
        return v;
    }

    boolean isEmpty() {
        return size == 0;
    }

    @Override
    public String toString() {
        long[] out = new long[size];
        for (int i = 0; i < size; i++) out[i] = items[(head + i) % items.length];
        return Arrays.toString(out);
    }
}
