package dev.cnnip.vectors;

import dev.cnnip.emulator.MachineListener;
import dev.cnnip.emulator.RetireEvent;
import dev.cnnip.isa.Isa;
import java.nio.charset.StandardCharsets;
import java.util.StringJoiner;

/**
 * {@code trace/commit.csv}: one row per retired instruction, in retirement (functional) order:
 * {@code seq,engine,pc,mnemonic,start,end,waits,signals,bytes,macs}. Cycles are the timing model's;
 * {@code waits} and {@code signals} list semaphore numbers separated by {@code ;}; {@code bytes} is the
 * DRAM traffic of a DMA instruction (0 otherwise); {@code macs} the multiply-accumulates of {@code ex.conv}.
 */
final class CommitTrace implements MachineListener {
    static final String HEADER = "seq,engine,pc,mnemonic,start,end,waits,signals,bytes,macs\n";
    private final StringBuilder sb = new StringBuilder(HEADER);

    @Override
    public void onRetire(RetireEvent e) {
        sb.append(e.seq()).append(',').append(e.engine().label()).append(',').append(e.pc()).append(',')
                .append(e.insn().op().mnemonic()).append(',').append(e.start()).append(',').append(e.end()).append(',')
                .append(sems(e.insn().waitMask())).append(',').append(sems(e.insn().signalMask())).append(',')
                .append(e.metrics().dramBytes()).append(',').append(e.metrics().macs()).append('\n');
    }

    private static String sems(int mask) {
        StringJoiner j = new StringJoiner(";");
        for (int s = 0; s < Isa.SEMAPHORES; s++) if ((mask & (1 << s)) != 0) j.add(Integer.toString(s));
        return j.toString();
    }

    byte[] bytes() {
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }
}
