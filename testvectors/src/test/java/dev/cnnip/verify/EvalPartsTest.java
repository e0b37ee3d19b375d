package dev.cnnip.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnip.tensor.DType;
import dev.cnnip.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The pure parts of the evaluation: class scores and ranks, batch slicing, labels, the worker pool. */
class EvalPartsTest {
    @Test
    void ranksFollowAStableDescendingSort() {
        double[] s = {0.5, 2.0, -1.0, 2.0, 0.5};
        assertEquals(1, ClassScores.argmax(s), "the first of equal maxima");
        assertEquals(0, ClassScores.rank(s, 1));
        assertEquals(1, ClassScores.rank(s, 3));
        assertEquals(2, ClassScores.rank(s, 0));
        assertEquals(3, ClassScores.rank(s, 4));
        assertEquals(4, ClassScores.rank(s, 2));
    }

    @Test
    void theClassAxisIsTheOnlyLongAxis() {
        Tensor conv = Tensor.ofLongs(DType.UINT8, new int[] {1, 4, 1, 1}, 3, 9, 9, 1);
        assertArrayEquals(new double[] {3, 9, 9, 1}, ClassScores.of(conv, "y"));
        assertEquals(1000, ClassScores.count(new int[] {1, 1000}, "y"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClassScores.count(new int[] {1, 4, 10}, "boxes"));
        assertEquals("output 'boxes' [1, 4, 10] is not one item's class scores (more than one axis is longer than 1)",
                e.getMessage());
    }

    @Test
    void batchItemsAreSlicesInTheInputShape() {
        Tensor b = Tensor.zeros(DType.INT16, 3, 2, 2);
        for (int i = 0; i < b.size(); i++) b.setLong(i, i);
        EvalBatch withBatchAxis = EvalBatch.of("b.npy", b, "x", DType.INT16, new int[] {1, 2, 2});
        assertEquals(3, withBatchAxis.size());
        Tensor second = withBatchAxis.item(1);
        assertArrayEquals(new int[] {1, 2, 2}, second.shape());
        assertArrayEquals(new long[] {4, 5, 6, 7}, second.toLongArray());
        EvalBatch withoutBatchAxis = EvalBatch.of("b.npy", b, "x", DType.INT16, new int[] {2, 2});
        assertArrayEquals(new int[] {2, 2}, withoutBatchAxis.item(2).shape());
        assertArrayEquals(new long[] {8, 9, 10, 11}, withoutBatchAxis.item(2).toLongArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EvalBatch.of("b.npy", Tensor.zeros(DType.INT16, 0, 2, 2), "x", DType.INT16, new int[] {1, 2, 2}));
        assertEquals("b.npy: the batch is empty", e.getMessage());
    }

    @Test
    void labelsAreOneIntegerPerItem() {
        EvalLabels l = EvalLabels.of("l.npy", Tensor.ofLongs(DType.UINT8, new int[] {3, 1}, 7, 0, 255), 3, "b.npy");
        assertArrayEquals(new int[] {7, 0, 255}, l.values());
        assertEquals("l.npy: labels must be a list of shape [N], got int32[2, 3]", assertThrows(IllegalArgumentException.class,
                () -> EvalLabels.of("l.npy", Tensor.zeros(DType.INT32, 2, 3), 6, "b.npy")).getMessage());
        assertEquals("l.npy: label -1 of item 1 is not a class index", assertThrows(IllegalArgumentException.class,
                () -> EvalLabels.of("l.npy", Tensor.ofLongs(DType.INT8, new int[] {2}, 0, -1), 2, "b.npy")).getMessage());
    }

    @Test
    void workersCollectResultsByIndexWhateverTheThreadCount() {
        for (int threads : new int[] {1, 2, 5}) {
            Set<String> workers = ConcurrentHashMap.newKeySet();
            AtomicInteger steps = new AtomicInteger();
            List<Integer> out = ParallelItems.map("b", 100, threads, i -> {
                workers.add(Thread.currentThread().getName());
                return i * i;
            }, task(steps));
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < 100; i++) expected.add(i * i);
            assertEquals(expected, out);
            assertTrue(workers.size() <= threads, workers + " on " + threads + " threads");
            if (threads == 1) assertEquals(Set.of(Thread.currentThread().getName()), workers, "the caller's thread");
            assertEquals(100, steps.get());
        }
    }

    @Test
    void theLowestFailingItemIsReported() {
        for (int threads : new int[] {1, 2, 4}) {
            RuntimeException e = assertThrows(RuntimeException.class, () -> ParallelItems.map("b.npy", 50, threads, i -> {
                if (i == 13 || i == 31) throw new IllegalStateException("boom " + i);
                return i;
            }, task(new AtomicInteger())));
            assertEquals("b.npy item 13: boom 13", e.getMessage());
        }
    }

    private static EvalProgress.Task task(AtomicInteger steps) {
        return new EvalProgress.Task() {
            @Override
            public void step() {
                steps.incrementAndGet();
            }

            @Override
            public void close() {
                // nothing to release
            }
        };
    }
}
