package dev.cnnip.verify;

/**
 * Where an evaluation reports its progress: one {@link Task} per phase (the simulator, then the
 * reference model). Implementations must accept {@link Task#step()} from several threads at once.
 */
@FunctionalInterface
public interface EvalProgress {
    /** Reports nothing. */
    EvalProgress QUIET = (name, items) -> new Task() {
        @Override
        public void step() {
            // quiet
        }

        @Override
        public void close() {
            // quiet
        }
    };

    /** Starts a phase named {@code name} of {@code items} steps. */
    Task start(String name, int items);

    /** A phase in progress: one {@link #step()} per finished item, then {@link #close()} once. */
    interface Task extends AutoCloseable {
        void step();

        @Override
        void close();
    }
}
