// ia64_decode_cases.s - every instruction form trace/ia64_decode.c decodes, with register
// numbers, immediates and predicates spread over their ranges. tests/ski/test_ia64_decode.c
// assembles it with ia64-linux-gnu-as and checks the decoder against ia64-linux-gnu-objdump.
// (The assembler warns about dependency violations: the file is never executed.)
	.text
	itc.i r3
	itc.d r127
	itr.i itr[r1]=r2
	itr.d dtr[r126]=r125
	ptc.l r4,r5
	ptc.g r6,r7
	ptc.ga r8,r9
	ptc.e r10
	ptr.i r11,r12
	ptr.d r13,r14
	mov rr[r15]=r16
	mov cr.dcr=r1
	mov cr.itm=r1
	mov cr.iva=r2
	mov cr.pta=r3
	mov cr.ipsr=r4
	mov cr.isr=r5
	mov cr.iip=r6
	mov cr.ifa=r7
	mov cr.itir=r8
	mov cr.iipa=r9
	mov cr.ifs=r10
	mov cr.iim=r11
	mov cr.iha=r12
	mov cr.lid=r13
	mov cr.tpr=r14
	mov cr.eoi=r15
	mov cr.itv=r16
	mov cr.pmv=r17
	mov cr.cmcv=r18
	mov cr.lrr0=r19
	mov cr.lrr1=r20
	mov psr.l=r21
	rsm 0x6000
	ssm 0xffffff
	rsm 1
	{ .mib; nop.m 0; nop.i 0; rfi ;; }
	mov ar.k0=r1
	mov ar.k7=r2
	mov ar.rsc=r3
	mov ar.bspstore=r4
	mov ar.rnat=r5
	mov ar.ccv=r6
	mov ar.unat=r7
	mov ar.fpsr=r8
	mov ar.itc=r9
	mov ar.pfs=r10
	mov ar.lc=r11
	mov ar.ec=r12
	mov ar.k5=-1
	mov ar.rsc=127
	mov ar.rsc=-128
	mov.i ar.lc=5
	mov.i ar.pfs=r2
	mov.m ar.ccv=r2
	mov ar.csd=r3
	mov ar.ssd=r3
	mov ar.eflag=r3
	mov ar.cflg=r3
	mov ar.fsr=r3
	mov ar.fir=r3
	mov ar.fdr=r3
	mov ar48=r3
	movl r1=0
	movl r2=-1
	movl r3=0x8000000000000000
	movl r4=0x123456789abcdef0
	mov r5=1
	mov r6=-1
	mov r7=0x1fffff
	mov r8=-2097152
	addl r9=5,r3
	adds r10=0,r11
	adds r12=-8192,r13
	adds r14=8191,r0
	adds r15=0,r0
	mov r16=r17
	break.m 0x80001
	break.i 0x1fffff
	{ .mib; nop.m 0; nop.i 0; break.b 0x3 ;; }
	{ .mfi; nop.m 0; break.f 0x7; nop.i 0 ;; }
	{ .mlx; nop.m 0; break.x 0x3fffffffffffffff ;; }
	{ .mib; nop.m 0; nop.i 0; bsw.0 ;; }
	{ .mib; nop.m 0; nop.i 0; bsw.1 ;; }
	(p6) itc.d r1
	(p63) mov rr[r2]=r3
	mov cr.irr0=r1
	mov cr.ivr=r1
	// neighbours of the decoded forms, which must stay IA64_OTHER
	mov r16=cr.ifa
	mov r17=ar.lc
	mov r18=ar.k5
	mov r1=rr[r2]
	mov r3=psr
	mov psr.um=r4
	sum 0x4
	rum 0x8
	srlz.d
	srlz.i
	thash r5=r6
	ttag r7=r8
	tpa r9=r10
	tak r11=r12
	probe.r r13=r14,r15
	fc r16
	ld8 r17=[r18],8
	st8 [r19]=r20,16
	alloc r21=ar.pfs,2,3,4,0
	mov r22=ip
	mov r23=b0
	mov b6=r24
	cover
	{ .mib; nop.m 0; nop.i 0; br.ret.sptk.many b0 ;; }
	add r25=r26,r27
	shladd r28=r29,2,r30
	cmp.eq p6,p7=r1,r2
	extr.u r3=r4,2,6
	dep r5=r6,r7,24,3
	mov.i r8=ar.pfs
	mov.m r9=ar.bsp
	invala
	mf
