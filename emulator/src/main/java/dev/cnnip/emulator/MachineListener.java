package dev.cnnip.emulator;

/**
 * Observes a running {@link Machine} (debugger, trace and vector writers). Called synchronously, in
 * functional order, after the state change the event describes; listeners must not change the machine.
 * A retire event comes before the layer event of the marker that caused it.
 */
public interface MachineListener {
    default void onDispatch(DispatchEvent e) {}

    default void onRetire(RetireEvent e) {}

    default void onLayerBegin(LayerEvent e) {}

    default void onLayerEnd(LayerEvent e) {}
}
