// Testbench for cnnip golden vectors: loads program/insn.hex and a layer's output.hex and sram.hex
// with $readmemh, checks the word counts against the vector set's figures and every value against the
// little-endian binaries (.bin) written next to them, and prints a few values.
//
// Plusargs (run.sh sets them from manifest.json):
//   +insn=DIR/program/insn.hex  +insn_bin=DIR/program/insn.bin  +insn_count=N
//   +out=LAYER/output.hex       +out_bin=LAYER/output.bin       +out_count=N   (uint8 outputs)
//   +sram=LAYER/sram.hex        +sram_bin=LAYER/sram.bin        +sram_base=B  +sram_bytes=N
`timescale 1ns/1ps
module tb_vectors;
  localparam MAX_INSN = 1 << 16;
  localparam MAX_OUT = 1 << 22;
  localparam SRAM_WORDS = 1 << 20;   // 4 MiB: above every preset's SRAM

  reg [127:0] insn [0:MAX_INSN-1];
  reg [7:0] outv [0:MAX_OUT-1];
  reg [31:0] sram [0:SRAM_WORDS-1];

  reg [8*512-1:0] insn_file, insn_bin, out_file, out_bin, sram_file, sram_bin;
  integer insn_count, out_count, sram_base, sram_bytes;  // from manifest.json (run.sh)
  integer i, j, n, fd, c, errors;
  reg [127:0] w;
  reg [31:0] v;

  // Number of leading entries $readmemh filled (the rest stay x).
  function integer filled128(input integer max);
    integer k;
    begin
      filled128 = 0;
      for (k = 0; k < max && filled128 == k; k = k + 1)
        if (^insn[k] !== 1'bx) filled128 = k + 1;
    end
  endfunction

  initial begin
    errors = 0;
    if (!$value$plusargs("insn=%s", insn_file) || !$value$plusargs("insn_bin=%s", insn_bin)
        || !$value$plusargs("insn_count=%d", insn_count)) begin
      $display("FAIL: need +insn=, +insn_bin= and +insn_count=");
      $finish;
    end

    // ---- instructions: 128-bit words, most significant digit first, byte 0 (the opcode) in bits 7:0
    for (i = 0; i < MAX_INSN; i = i + 1) insn[i] = 128'bx;
    $readmemh(insn_file, insn);
    n = filled128(MAX_INSN);
    if (n != insn_count) begin
      $display("FAIL: %0s holds %0d instructions, the manifest says %0d", insn_file, n, insn_count);
      errors = errors + 1;
    end else
      $display("ok   insn.hex: %0d instructions (manifest: %0d)", n, insn_count);
    fd = $fopen(insn_bin, "rb");
    for (i = 0; i < n; i = i + 1) begin
      w = 128'b0;
      for (j = 0; j < 16; j = j + 1) begin
        c = $fgetc(fd);
        w = w | ({120'b0, c[7:0]} << (8 * j));
      end
      if (w !== insn[i]) begin
        if (errors < 5) $display("FAIL: instruction %0d: hex %032h, bin %032h", i, insn[i], w);
        errors = errors + 1;
      end
    end
    $fclose(fd);
    if (errors == 0) $display("ok   insn.hex equals insn.bin word for word (little-endian bytes)");
    $display("     first instruction %032h (opcode 0x%02h), last %032h (opcode 0x%02h)",
             insn[0], insn[0][7:0], insn[n-1], insn[n-1][7:0]);
    if (insn[n-1][7:0] !== 8'h0f) begin
      $display("FAIL: the last instruction is not finish (opcode 0x0f)");
      errors = errors + 1;
    end

    // ---- a layer's output tensor: one uint8 element per line, logical (NCHW) order
    if ($value$plusargs("out=%s", out_file) && $value$plusargs("out_bin=%s", out_bin)
        && $value$plusargs("out_count=%d", out_count)) begin
      for (i = 0; i < MAX_OUT; i = i + 1) outv[i] = 8'bx;
      $readmemh(out_file, outv);
      n = 0;
      for (i = 0; i < MAX_OUT && n == i; i = i + 1) if (^outv[i] !== 1'bx) n = i + 1;
      if (n != out_count) begin
        $display("FAIL: %0s holds %0d elements, expected %0d", out_file, n, out_count);
        errors = errors + 1;
      end else
        $display("ok   output.hex: %0d elements", n);
      fd = $fopen(out_bin, "rb");
      for (i = 0; i < n; i = i + 1) begin
        c = $fgetc(fd);
        if (c[7:0] !== outv[i]) begin
          if (errors < 5) $display("FAIL: output element %0d: hex %02h, bin %02h", i, outv[i], c[7:0]);
          errors = errors + 1;
        end
      end
      $fclose(fd);
      j = 0;
      while (j < n - 1 && outv[j] == 8'd0) j = j + 1;
      $display("     output[0] = %0d, first non-zero output[%0d] = %0d, output[%0d] = %0d", outv[0], j, outv[j], n - 1, outv[n - 1]);
    end

    // ---- the layer's SRAM window: 32-bit words from @base, byte 4k+j in bits 8j+7:8j
    if ($value$plusargs("sram=%s", sram_file) && $value$plusargs("sram_bin=%s", sram_bin)
        && $value$plusargs("sram_base=%d", sram_base) && $value$plusargs("sram_bytes=%d", sram_bytes)) begin
      for (i = 0; i < SRAM_WORDS; i = i + 1) sram[i] = 32'bx;
      $readmemh(sram_file, sram);
      n = 0;
      for (i = 0; i < SRAM_WORDS; i = i + 1) if (^sram[i] !== 1'bx) n = n + 1;
      if (n != sram_bytes / 4 || ^sram[sram_base / 4] === 1'bx) begin
        $display("FAIL: %0s holds %0d words, expected %0d from word 0x%0h", sram_file, n, sram_bytes / 4, sram_base / 4);
        errors = errors + 1;
      end else
        $display("ok   sram.hex: %0d words from byte 0x%0h", n, sram_base);
      fd = $fopen(sram_bin, "rb");
      for (i = 0; i < sram_bytes / 4; i = i + 1) begin
        v = 32'b0;
        for (j = 0; j < 4; j = j + 1) begin
          c = $fgetc(fd);
          v = v | ({24'b0, c[7:0]} << (8 * j));
        end
        if (v !== sram[sram_base / 4 + i]) begin
          if (errors < 5) $display("FAIL: SRAM word 0x%0h: hex %08h, bin %08h", sram_base / 4 + i, sram[sram_base / 4 + i], v);
          errors = errors + 1;
        end
      end
      $fclose(fd);
      $display("     sram[0x%0h] = %08h", sram_base, sram[sram_base / 4]);
    end

    if (errors == 0) $display("PASS");
    else $display("FAIL: %0d error(s)", errors);
    $finish;
  end
endmodule
