package dev.cnnip.emulator;

/** A growable FIFO of ints (program indices in an engine queue), without boxing. */
final class IntQueue {
    private int[] items = new int[8];
    private int head;
    private int size;

    void add(int v) {
        if (size == items.length) {
            int[] grown = new int[items.length * 2];
            for (int i = 0; i < size; i++) grown[i] = items[(head + i) % items.length];
            items = grown;
            head = 0;
        }
        items[(head + size) % items.length] = v;
        size++;
    }

    int peek() {
        if (size == 0) throw new IllegalStateException("empty queue");
        return items[head];
    }

    int poll() {
        int v = peek();
        head = (head + 1) % items.length;
        size--;
        return v;
    }

    int get(int i) {
        return items[(head + i) % items.length];
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Empties the queue (keeps its capacity). */
    void clear() {
        head = 0;
        size = 0;
    }
}
