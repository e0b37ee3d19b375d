; cnnip unit vector: nop directed (seed 0): nop passes semaphore s0 on to s1 and does nothing else
.tool "cnnip vectors --per-instruction"
.hw tiny
.dram 12288
.segment input 0x0 4096
; prologue: SRAM window <- DRAM [0, 4 KiB)
ld.set esz=4096
ld dram=0x0 sram=0x0 signal=0
; under test
nop wait=0 signal=1
; epilogue: DRAM [4 KiB, 8 KiB) <- SRAM window
st.set esz=4096 n0=1
st.set n1=1 n2=1
st dram=0x1000 sram=0x0 wait=1
finish

; cnnip unit vector: layer.begin directed (seed 0): layer.begin id=0 (a marker: no memory effect)
.tool "cnnip vectors --per-instruction"
.hw tiny
.dram 12288
.segment input 0x0 4096
; prologue: SRAM window <- DRAM [0, 4 KiB)
ld.set esz=4096
ld dram=0x0 sram=0x0 signal=0
; under test
layer.begin id=0 wait=0 signal=1
; epilogue: DRAM [4 KiB, 8 KiB) <- SRAM window
st.set esz=4096 n0=1
st.set n1=1 n2=1
st dram=0x1000 sram=0x0 wait=1
finish

; cnnip unit vector: layer.end directed (seed 0): layer.end id=0 (a marker: no memory effect)
.tool "cnnip vectors --per-instruction"
.hw tiny
.dram 12288
.segment input 0x0 4096
; prologue: SRAM window <- DRAM [0, 4 KiB)
ld.set esz=4096
ld dram=0x0 sram=0x0 signal=0
; under test
layer.end id=0 wait=0 signal=1
; epilogue: DRAM [4 KiB, 8 KiB) <- SRAM window
st.set esz=4096 n0=1
st.set n1=1 n2=1
st dram=0x1000 sram=0x0 wait=1
finish

; cnnip unit vector: trap directed (seed 0): trap with code 7: the machine stops with a fault, the epilogue never runs
.tool "cnnip vectors --per-instruction"
.hw tiny
.dram 12288
.segment input 0x0 4096
; prologue: SRAM window <- DRAM [0, 4 KiB)
ld.set esz=4096
ld dram=0x0 sram=0x0 signal=0
; under test
trap code=7 wait=0 signal=1
; epilogue: DRAM [4 KiB, 8 KiB) <- SRAM window
st.set esz=4096 n0=1
st.set n1=1 n2=1
st dram=0x1000 sram=0x0 wait=1
finish

; cnnip unit vector: finish directed (seed 0): finish waiting for semaphore s2, signalled by the epilogue store
.tool "cnnip vectors --per-instruction"
.hw tiny
.dram 12288
.segment input 0x0 4096
; prologue: SRAM window <- DRAM [0, 4 KiB)
ld.set esz=4096
ld dram=0x0 sram=0x0 signal=0
; under test
ld.sync wait=0 signal=1
; epilogue: DRAM [4 KiB, 8 KiB) <- SRAM window
st.set esz=4096 n0=1
st.set n1=1 n2=1
st dram=0x1000 sram=0x0 wait=1 signal=2
finish wait=2

; cnnip unit vector: ld directed (seed 0): ld of 2x4x8 elements of 4 bytes, DRAM strides 256/64/8, SRAM strides 144/36/4
.tool "cnnip vectors --per-instruction"
.hw tiny
.dram 12288
.segment input 0x0 4096
; prologue: SRAM window <- DRAM [0, 4 KiB)
ld.set esz=4096
ld dram=0x0 sram=0x0 signal=0
; under test
ld.set esz=4 n0=8
ld.set n1=4 n2=2
ld.set ds0=8 ds1=64
ld.set ds2=256 ss0=4
ld.set ss1=36 ss2=144
ld dram=0x400 sram=0xc00 wait=0 signal=1
; epilogue: DRAM [4 KiB, 8 KiB) <- SRAM window
st.set esz=4096 n0=1
st.set n1=1 n2=1
st dram=0x1000 sram=0x0 wait=1
finish

; cnnip unit vector: ld.set directed (seed 0): ld of 2x4x8 elements of 4 bytes, DRAM strides 256/64/8, SRAM strides 144/36/4
.tool "cnnip vectors --per-instruction"
.hw tiny
.dram 12288
.segment input 0x0 4096
; prologue: SRAM window <- DRAM [0, 4 KiB)
ld.set esz=4096
ld dram=0x0 sram=0x0 signal=0
; under test
ld.set esz=4 n0=8
ld.set n1=4 n2=2
ld.set ds0=8 ds1=64
ld.set ds2=256 ss0=4
ld.set ss1=36 ss2=144
ld dram=0x400 sram=0xc00 wait=0 signal=1
; epilogue: DRAM [4 KiB, 8 KiB) <- SRAM window
st.set esz=4096 n0=1
st.set n1=1 n2=1
st dram=0x1000 sram=0x0 wait=1
finish

; cnnip unit vector: ld.sync directed (seed 0): ld.sync passes semaphore s0 on to s1 and does nothing else
.tool "cnnip vectors --per-instruction"
.hw tiny
.dram 12288
.segment input 0x0 4096
; prologue: SRAM window <- DRAM [0, 4 KiB)
ld.set esz=4096
ld dram=0x0 sram=0x0 signal=0
; under test
ld.sync wait=0 signal=1
; epilogue: DRAM [4 KiB, 8 KiB) <- SRAM window
st.set esz=4096 n0=1
st.set n1=1 n2=1
st dram=0x1000 sram=0x0 wait=1
finish

; cnnip unit vector: ex.conv directed (seed 0): convolution 4x4x3 -> 4x4x2, kernel 3x3, stride 1/1, dilation 1/1, padding 1/1, 1 group(s), u8 x s8
.tool "cnnip vectors --per-instruction"
.hw tiny
.dram 12288
.segment input 0x0 4096
; prologue: SRAM window <- DRAM [0, 4 KiB)
ld.set esz=4096
ld dram=0x0 sram=0x0 signal=0
; under test
ex.set ih=4 iw=4
ex.set ic=3 oh=4
ex.set ow=4 oc=2
ex.set kh=3 kw=3
ex.set sh=1 sw=1
ex.set dh=1 dw=1
ex.set pt=1 pl=1
ex.set gic=3 goc=2
ex.set xzp=3 wzp=0
ex.set wza=0x800
ex.conv x=0x0 w=0x400 acc=0xc00 xt=u8 wt=s8 accum=0 a64=0 wzpv=0 wait=0 signal=1
; epilogue: DRAM [4 KiB, 8 KiB) <- SRAM window
st.set esz=4096 n0=1
st.set n1=1 n2=1
st dram=0x1000 sram=0x0 wait=1
finish

; cnnip unit vector: ex.set directed (seed 0): convolution 4x4x3 -> 4x4x2, kernel 3x3, stride 1/1, dilation 1/1, padding 1/1, 1 group(s), u8 x s8
.tool "cnnip vectors --per-instruction"
.hw tiny
.dram 12288
.segment input 0x0 4096
; prologue: SRAM window <- DRAM [0, 4 KiB)
ld.set esz=4096
ld dram=0x0 sram=0x0 signal=0
; under test
ex.set ih=4 iw=4
ex.set ic=3 oh=4
ex.set ow=4 oc=2
ex.set kh=3 kw=3
ex.set sh=1 sw=1
ex.set dh=1 dw=1
ex.set pt=1 pl=1
ex.set gic=3 goc=2
ex.set xzp=3 wzp=0
ex.set wza=0x800
ex.conv x=0x0 w=0x400 acc=0xc00 xt=u8 wt=s8 accum=0 a64=0 wzpv=0 wait=0 signal=1
; epilogue: DRAM [4 KiB, 8 KiB) <- SRAM window
st.set esz=4096 n0=1
st.set n1=1 n2=1
st dram=0x1000 sram=0x0 wait=1
finish

; cnnip unit vector: ex.sync directed (seed 0): ex.sync passes semaphore s0 on to s1 and does nothing else
.tool "cnnip vectors --per-instruction"
.hw tiny
.dram 12288
.segment input 0x0 4096
; prologue: SRAM window <- DRAM [0, 4 KiB)
ld.set esz=4096
ld dram=0x0 sram=0x0 signal=0
; under test
ex.sync wait=0 signal=1
; epilogue: DRAM [4 KiB, 8 KiB) <- SRAM window
st.set esz=4096 n0=1
st.set n1=1 n2=1
st dram=0x1000 sram=0x0 wait=1
finish

; cnnip unit vector: pp.requant directed (seed 0): requantization of 4 pixels x 3 channels (pitches 3/4) to u8, f32 mode
.tool "cnnip vectors --per-instruction"
.hw tiny
.dram 12288
.segment input 0x0 4096
; prologue: SRAM window <- DRAM [0, 4 KiB)
ld.set esz=4096
ld dram=0x0 sram=0x0 signal=0
; under test
pp.set n=4 c=3
pp.set apitch=3 opitch=4
pp.set ozp=5 qmin=0
pp.set qmax=255
pp.requant acc=0x0 prm=0x800 out=0xc00 ot=u8 mode=f32 a64=0 wait=0 signal=1
; epilogue: DRAM [4 KiB, 8 KiB) <- SRAM window
st.set esz=4096 n0=1
st.set n1=1 n2=1
st dram=0x1000 sram=0x0 wait=1
finish

; cnnip unit vector: pp.set directed (seed 0): requantization of 4 pixels x 3 channels (pitches 3/4) to u8, f32 mode
.tool "cnnip vectors --per-instruction"
.hw tiny
.dram 12288
.segment input 0x0 4096
; prologue: SRAM window <- DRAM [0, 4 KiB)
ld.set esz=4096
ld dram=0x0 sram=0x0 signal=0
; under test
pp.set n=4 c=3
pp.set apitch=3 opitch=4
pp.set ozp=5 qmin=0
pp.set qmax=255
pp.requant acc=0x0 prm=0x800 out=0xc00 ot=u8 mode=f32 a64=0 wait=0 signal=1
; epilogue: DRAM [4 KiB, 8 KiB) <- SRAM window
st.set esz=4096 n0=1
st.set n1=1 n2=1
st dram=0x1000 sram=0x0 wait=1
finish

; cnnip unit vector: pp.sync directed (seed 0): pp.sync passes semaphore s0 on to s1 and does nothing else
.tool "cnnip vectors --per-instruction"
.hw tiny
.dram 12288
.segment input 0x0 4096
; prologue: SRAM window <- DRAM [0, 4 KiB)
ld.set esz=4096
ld dram=0x0 sram=0x0 signal=0
; under test
pp.sync wait=0 signal=1
; epilogue: DRAM [4 KiB, 8 KiB) <- SRAM window
st.set esz=4096 n0=1
st.set n1=1 n2=1
st dram=0x1000 sram=0x0 wait=1
finish

; cnnip unit vector: pp.quant directed (seed 0): QuantizeLinear of 24 float32 elements, 2 channels of 3, to u8
.tool "cnnip vectors --per-instruction"
.hw tiny
.dram 12288
.segment input 0x0 4096
; prologue: SRAM window <- DRAM [0, 4 KiB)
ld.set esz=4096
ld dram=0x0 sram=0x0 signal=0
; under test
pp.set n=24 c=2
pp.set inner=3
pp.quant src=0x0 prm=0x800 dst=0xc00 ot=u8 wait=0 signal=1
; epilogue: DRAM [4 KiB, 8 KiB) <- SRAM window
st.set esz=4096 n0=1
st.set n1=1 n2=1
st dram=0x1000 sram=0x0 wait=1
finish

; cnnip unit vector: pp.dequant directed (seed 0): DequantizeLinear of 24 u8 elements, 2 channels of 3, to float32
.tool "cnnip vectors --per-instruction"
.hw tiny
.dram 12288
.segment input 0x0 4096
; prologue: SRAM window <- DRAM [0, 4 KiB)
ld.set esz=4096
ld dram=0x0 sram=0x0 signal=0
; under test
pp.set n=24 c=2
pp.set inner=3
pp.dequant src=0x0 prm=0x800 dst=0xc00 it=u8 wait=0 signal=1
; epilogue: DRAM [4 KiB, 8 KiB) <- SRAM window
st.set esz=4096 n0=1
st.set n1=1 n2=1
st dram=0x1000 sram=0x0 wait=1
finish

; cnnip unit vector: pp.maxpool directed (seed 0): pp.maxpool 6x6x3 -> 3x3, window 2x2, stride 2/2, dilation 1/1, padding 0/0
.tool "cnnip vectors --per-instruction"
.hw tiny
.dram 12288
.segment input 0x0 4096
; prologue: SRAM window <- DRAM [0, 4 KiB)
ld.set esz=4096
ld dram=0x0 sram=0x0 signal=0
; under test
pp.set c=3 ih=6
pp.set iw=6 oh=3
pp.set ow=3 kh=2
pp.set kw=2 sh=2
pp.set sw=2 dh=1
pp.set dw=1 pt=0
pp.set pl=0
pp.maxpool src=0x0 dst=0xc00 dt=u8 wait=0 signal=1
; epilogue: DRAM [4 KiB, 8 KiB) <- SRAM window
st.set esz=4096 n0=1
st.set n1=1 n2=1
st dram=0x1000 sram=0x0 wait=1
finish

; cnnip unit vector: pp.add directed (seed 0): pp.add of 64 u8 elements, f32 mode
.tool "cnnip vectors --per-instruction"
.hw tiny
.dram 12288
.segment input 0x0 4096
; prologue: SRAM window <- DRAM [0, 4 KiB)
ld.set esz=4096
ld dram=0x0 sram=0x0 signal=0
; under test
pp.set fa=1058642330 fb=1053609165
pp.set fk=1075838976
pp.set n=64 qmin=0
pp.set qmax=255 bmod=0
pp.add a=0x0 b=0x400 dst=0xc00 at=u8 bt=u8 ot=u8 mode=f32 bscalar=0 wait=0 signal=1
; epilogue: DRAM [4 KiB, 8 KiB) <- SRAM window
st.set esz=4096 n0=1
st.set n1=1 n2=1
st dram=0x1000 sram=0x0 wait=1
finish

; cnnip unit vector: pp.lut directed (seed 0): table lookup of 256 u8 elements (table: 255 - x)
.tool "cnnip vectors --per-instruction"
.hw tiny
.dram 12288
.segment input 0x0 4096
; prologue: SRAM window <- DRAM [0, 4 KiB)
ld.set esz=4096
ld dram=0x0 sram=0x0 signal=0
; under test
pp.set n=256
pp.lut src=0x0 tbl=0x400 dst=0xc00 it=u8 ot=u8 wait=0 signal=1
; epilogue: DRAM [4 KiB, 8 KiB) <- SRAM window
st.set esz=4096 n0=1
st.set n1=1 n2=1
st dram=0x1000 sram=0x0 wait=1
finish

; cnnip unit vector: pp.avgpool directed (seed 0): pp.avgpool 6x6x3 -> 3x3, window 2x2, stride 2/2, dilation 1/1, padding 0/0
.tool "cnnip vectors --per-instruction"
.hw tiny
.dram 12288
.segment input 0x0 4096
; prologue: SRAM window <- DRAM [0, 4 KiB)
ld.set esz=4096
ld dram=0x0 sram=0x0 signal=0
; under test
pp.set c=3 ih=6
pp.set iw=6 oh=3
pp.set ow=3 kh=2
pp.set kw=2 sh=2
pp.set sw=2 dh=1
pp.set dw=1 pt=0
pp.set pl=0
pp.set xs=1017370378 ys=1020054733
pp.set xzp=3 ozp=2
pp.set qmin=0 qmax=255
pp.set cip=0
pp.avgpool src=0x0 dst=0xc00 dt=u8 wait=0 signal=1
; epilogue: DRAM [4 KiB, 8 KiB) <- SRAM window
st.set esz=4096 n0=1
st.set n1=1 n2=1
st dram=0x1000 sram=0x0 wait=1
finish

; cnnip unit vector: pp.mul directed (seed 0): pp.mul of 64 u8 elements, f32 mode
.tool "cnnip vectors --per-instruction"
.hw tiny
.dram 12288
.segment input 0x0 4096
; prologue: SRAM window <- DRAM [0, 4 KiB)
ld.set esz=4096
ld dram=0x0 sram=0x0 signal=0
; under test
pp.set mm=1061158912 azp=3
pp.set bzp=5 ozp=7
pp.set n=64 qmin=0
pp.set qmax=255 bmod=0
pp.mul a=0x0 b=0x400 dst=0xc00 at=u8 bt=u8 ot=u8 mode=f32 bscalar=0 wait=0 signal=1
; epilogue: DRAM [4 KiB, 8 KiB) <- SRAM window
st.set esz=4096 n0=1
st.set n1=1 n2=1
st dram=0x1000 sram=0x0 wait=1
finish

; cnnip unit vector: pp.softmax directed (seed 0): softmax over 4 rows of 10 u8 elements, input scale 0.1, output scale 1/256
.tool "cnnip vectors --per-instruction"
.hw tiny
.dram 12288
.segment input 0x0 4096
; prologue: SRAM window <- DRAM [0, 4 KiB)
ld.set esz=4096
ld dram=0x0 sram=0x0 signal=0
; under test
pp.set n=4 c=10
pp.set yinv=1132462080 ozp=0
pp.softmax src=0x0 exp=0x400 dst=0xc00 dt=u8 wait=0 signal=1
; epilogue: DRAM [4 KiB, 8 KiB) <- SRAM window
st.set esz=4096 n0=1
st.set n1=1 n2=1
st dram=0x1000 sram=0x0 wait=1
finish

; cnnip unit vector: pp.softmaxf directed (seed 0): float softmax over 4 rows of 10 s16 elements, input scale 0.001, output u16 scale 1/65536
.tool "cnnip vectors --per-instruction"
.hw tiny
.dram 12288
.segment input 0x0 4096
; prologue: SRAM window <- DRAM [0, 4 KiB)
ld.set esz=4096
ld dram=0x0 sram=0x0 signal=0
; under test
pp.set n=4 c=10
pp.set xs=981668463 xzp=0
pp.set ys=931135488 ozp=0
pp.set qmin=0 qmax=65535
pp.softmaxf src=0x0 dst=0xc00 it=s16 ot=u16 wait=0 signal=1
; epilogue: DRAM [4 KiB, 8 KiB) <- SRAM window
st.set esz=4096 n0=1
st.set n1=1 n2=1
st dram=0x1000 sram=0x0 wait=1
finish

; cnnip unit vector: pp.lrn directed (seed 0): LRN across 16 u8 channels of 4 pixels, window 5, alpha 1.0E-4, beta 0.75, bias 1
.tool "cnnip vectors --per-instruction"
.hw tiny
.dram 12288
.segment input 0x0 4096
; prologue: SRAM window <- DRAM [0, 4 KiB)
ld.set esz=4096
ld dram=0x0 sram=0x0 signal=0
; under test
pp.set n=4 c=16
pp.set lsize=5 lalpha=933741996
pp.set lbeta=1061158912 lbias=1065353216
pp.set xs=1036831949 xzp=3
pp.set ys=1028443341 ozp=128
pp.set qmin=0 qmax=255
pp.lrn src=0x0 dst=0xc00 it=u8 ot=u8 wait=0 signal=1
; epilogue: DRAM [4 KiB, 8 KiB) <- SRAM window
st.set esz=4096 n0=1
st.set n1=1 n2=1
st dram=0x1000 sram=0x0 wait=1
finish

; cnnip unit vector: st directed (seed 0): st of 2x4x8 elements of 4 bytes, DRAM strides 256/64/8, SRAM strides 144/36/4
.tool "cnnip vectors --per-instruction"
.hw tiny
.dram 12288
.segment input 0x0 4096
; prologue: SRAM window <- DRAM [0, 4 KiB)
ld.set esz=4096
ld dram=0x0 sram=0x0 signal=0
; under test
st.set esz=4 n0=8
st.set n1=4 n2=2
st.set ds0=8 ds1=64
st.set ds2=256 ss0=4
st.set ss1=36 ss2=144
st dram=0x2000 sram=0x0 wait=0 signal=1
; epilogue: DRAM [4 KiB, 8 KiB) <- SRAM window
st.set esz=4096 n0=1
st.set n1=1 n2=1
st dram=0x1000 sram=0x0 wait=1
finish

; cnnip unit vector: st.set directed (seed 0): st of 2x4x8 elements of 4 bytes, DRAM strides 256/64/8, SRAM strides 144/36/4
.tool "cnnip vectors --per-instruction"
.hw tiny
.dram 12288
.segment input 0x0 4096
; prologue: SRAM window <- DRAM [0, 4 KiB)
ld.set esz=4096
ld dram=0x0 sram=0x0 signal=0
; under test
st.set esz=4 n0=8
st.set n1=4 n2=2
st.set ds0=8 ds1=64
st.set ds2=256 ss0=4
st.set ss1=36 ss2=144
st dram=0x2000 sram=0x0 wait=0 signal=1
; epilogue: DRAM [4 KiB, 8 KiB) <- SRAM window
st.set esz=4096 n0=1
st.set n1=1 n2=1
st dram=0x1000 sram=0x0 wait=1
finish

; cnnip unit vector: st.sync directed (seed 0): st.sync passes semaphore s0 on to s1 and does nothing else
.tool "cnnip vectors --per-instruction"
.hw tiny
.dram 12288
.segment input 0x0 4096
; prologue: SRAM window <- DRAM [0, 4 KiB)
ld.set esz=4096
ld dram=0x0 sram=0x0 signal=0
; under test
st.sync wait=0 signal=1
; epilogue: DRAM [4 KiB, 8 KiB) <- SRAM window
st.set esz=4096 n0=1
st.set n1=1 n2=1
st dram=0x1000 sram=0x0 wait=1
finish

