package dev.cnnip.compiler.layer;

import dev.cnnip.compiler.ir.Node;

/**
 * Attributes of a Resize that the accelerator's nearest-neighbour upsampling must honour, with ONNX's
 * defaults ({@code nearest}, {@code half_pixel}, {@code round_prefer_floor}).
 *
 * @param mode                        ONNX {@code mode}
 * @param coordinateTransformationMode ONNX {@code coordinate_transformation_mode}
 * @param nearestMode                 ONNX {@code nearest_mode}
 */
public record ResizeAttrs(String mode, String coordinateTransformationMode, String nearestMode) {
    public static final ResizeAttrs DEFAULT = new ResizeAttrs("nearest", "half_pixel", "round_prefer_floor");

    public static ResizeAttrs of(Node node) {
        return new ResizeAttrs(node.attrString("mode", DEFAULT.mode),
                node.attrString("coordinate_transformation_mode", DEFAULT.coordinateTransformationMode),
                node.attrString("nearest_mode", DEFAULT.nearestMode));
    }
}
