package dev.cnnip.verify.ptq;

import dev.cnnip.tensor.Tensor;
import java.util.Map;

/** The best face score of the two detectors' outputs. */
final class FaceScore {
    private FaceScore() {}

    /** YuNet: max over anchors of {@code sqrt(cls · obj)} (as OpenCV's FaceDetectorYN scores faces). */
    static double yunet(Map<String, Tensor> out) {
        double best = 0;
        for (String s : new String[] {"8", "16", "32"}) {
            Tensor c = out.get("cls_" + s);
            Tensor o = out.get("obj_" + s);
            for (int i = 0; i < c.size(); i++) {
                best = Math.max(best, Math.sqrt(Math.max(0, c.getDouble(i)) * Math.max(0, o.getDouble(i))));
            }
        }
        return best;
    }

    /** UltraFace: max over anchors of the face class probability (scores[..., 1]). */
    static double ultraface(Map<String, Tensor> out) {
        Tensor s = out.get("scores");
        double best = 0;
        for (int i = 1; i < s.size(); i += 2) best = Math.max(best, s.getDouble(i));
        return best;
    }
}
