package dev.cnnip.verify;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntFunction;

/**
 * Runs independent per-item work on a fixed number of worker threads and collects the results by item
 * index, so the result does not depend on the number of threads or on scheduling.
 */
final class ParallelItems {
    private ParallelItems() {}

    /**
     * Computes {@code work(i)} for every {@code i} in {@code [0, items)} on {@code min(threads, items)}
     * threads (the caller's among them). {@code work} must be safe to call from several threads; each
     * worker takes the next unclaimed index until none is left; {@code task} steps once per finished item.
     *
     * @param what names the items in the failure, e.g. the batch file
     * @return the results, by index
     * @throws ItemFailure for the lowest-indexed item whose work threw, whatever the number of threads:
     *     indices are claimed in order and a worker skips an item only when it claimed it after some
     *     item failed, so every item below the first failure runs
     */
    static <T> List<T> map(String what, int items, int threads, IntFunction<T> work, EvalProgress.Task task) {
        AtomicReferenceArray<T> results = new AtomicReferenceArray<>(items);
        AtomicReferenceArray<Throwable> failures = new AtomicReferenceArray<>(items);
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        Runnable worker = () -> {
            for (int i = next.getAndIncrement(); i < items && failed.get() == 0; i = next.getAndIncrement()) {
                try {
                    results.set(i, work.apply(i));
                    task.step();
                } catch (RuntimeException | Error e) {
                    failures.set(i, e);
                    failed.incrementAndGet();
                }
            }
        };
        int n = Math.max(1, Math.min(threads, items));
        List<Thread> pool = new ArrayList<>();
        for (int t = 1; t < n; t++) {
            Thread th = new Thread(worker, "cnnip-eval-" + t);
            th.setDaemon(true);
            th.start();
            pool.add(th);
        }
        worker.run();
        for (Thread th : pool) {
            try {
                th.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the evaluation workers", e);
            }
        }
        for (int i = 0; i < items; i++) {
            Throwable f = failures.get(i);
            if (f instanceof Error e) throw e;
            if (f != null) throw new ItemFailure(what + " item " + i, (RuntimeException) f);
        }
        List<T> out = new ArrayList<>(items);
        for (int i = 0; i < items; i++) out.add(results.get(i));
        return out;
    }

    /** The work of one item failed; the message names the item and gives the cause's message. */
    static final class ItemFailure extends RuntimeException {
        ItemFailure(String item, RuntimeException cause) {
            super(item + ": " + cause.getMessage(), cause);
        }
    }
}
