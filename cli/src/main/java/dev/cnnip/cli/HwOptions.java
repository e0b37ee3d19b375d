package dev.cnnip.cli;

import dev.cnnip.hw.HwConfig;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --hw PRESET|FILE.json} and {@code --set key=value} for commands that choose a machine. */
final class HwOptions {
    @Option(names = "--hw", paramLabel = "PRESET|FILE.json", defaultValue = "v3u-like",
            description = "Hardware preset (${COMPLETION-CANDIDATES}) or JSON file (default: ${DEFAULT-VALUE}).",
            completionCandidates = Presets.class)
    String hw;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override one hardware parameter (repeatable).")
    List<String> sets = new ArrayList<>();

    HwConfig resolve() {
        HwConfig c = HwConfig.load(hw);
        for (String s : sets) c = c.withOverride(s);
        return c;
    }

    /** Preset names for help and completion. */
    static final class Presets extends ArrayList<String> {
        private static final long serialVersionUID = 1L;

        Presets() {
            super(HwConfig.presetNames());
        }
    }
}
