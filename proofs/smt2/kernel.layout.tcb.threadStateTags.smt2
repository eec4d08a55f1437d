; obligation: kernel.layout.tcb.threadStateTags
; statement: every thread state's tag survives tsType (read back as written, so tags stay distinct) and keeps tcbQueued
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; kernel.layout.tcb.threadStateTags
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun stateWord () (_ BitVec 64))
(assert
 (let ((?x0 (bvand (bvlshr stateWord (_ bv4 64)) (_ bv1 64))))
 (let (($x1 (= (bvand (bvlshr (bvor (bvand stateWord (_ bv18446744073709551600 64)) (_ bv7 64)) (_ bv4 64)) (_ bv1 64)) ?x0)))
 (let (($x2 (= (bvand (bvlshr (bvor (bvand stateWord (_ bv18446744073709551600 64)) (_ bv7 64)) (_ bv0 64)) (_ bv15 64)) (_ bv7 64))))
 (let (($x3 (= (bvand (bvlshr (bvor (bvand stateWord (_ bv18446744073709551600 64)) (_ bv6 64)) (_ bv4 64)) (_ bv1 64)) ?x0)))
 (let (($x4 (= (bvand (bvlshr (bvor (bvand stateWord (_ bv18446744073709551600 64)) (_ bv6 64)) (_ bv0 64)) (_ bv15 64)) (_ bv6 64))))
 (let (($x5 (= (bvand (bvlshr (bvor (bvand stateWord (_ bv18446744073709551600 64)) (_ bv5 64)) (_ bv4 64)) (_ bv1 64)) ?x0)))
 (let (($x6 (= (bvand (bvlshr (bvor (bvand stateWord (_ bv18446744073709551600 64)) (_ bv5 64)) (_ bv0 64)) (_ bv15 64)) (_ bv5 64))))
 (let (($x7 (= (bvand (bvlshr (bvor (bvand stateWord (_ bv18446744073709551600 64)) (_ bv4 64)) (_ bv4 64)) (_ bv1 64)) ?x0)))
 (let (($x8 (= (bvand (bvlshr (bvor (bvand stateWord (_ bv18446744073709551600 64)) (_ bv4 64)) (_ bv0 64)) (_ bv15 64)) (_ bv4 64))))
 (let (($x9 (= (bvand (bvlshr (bvor (bvand stateWord (_ bv18446744073709551600 64)) (_ bv3 64)) (_ bv4 64)) (_ bv1 64)) ?x0)))
 (let (($x10 (= (bvand (bvlshr (bvor (bvand stateWord (_ bv18446744073709551600 64)) (_ bv3 64)) (_ bv0 64)) (_ bv15 64)) (_ bv3 64))))
 (let (($x11 (= (bvand (bvlshr (bvor (bvand stateWord (_ bv18446744073709551600 64)) (_ bv2 64)) (_ bv4 64)) (_ bv1 64)) ?x0)))
 (let (($x12 (= (bvand (bvlshr (bvor (bvand stateWord (_ bv18446744073709551600 64)) (_ bv2 64)) (_ bv0 64)) (_ bv15 64)) (_ bv2 64))))
 (let (($x13 (= (bvand (bvlshr (bvor (bvand stateWord (_ bv18446744073709551600 64)) (_ bv1 64)) (_ bv4 64)) (_ bv1 64)) ?x0)))
 (let (($x14 (= (bvand (bvlshr (bvor (bvand stateWord (_ bv18446744073709551600 64)) (_ bv1 64)) (_ bv0 64)) (_ bv15 64)) (_ bv1 64))))
 (let (($x15 (= (bvand (bvlshr (bvor (bvand stateWord (_ bv18446744073709551600 64)) (_ bv0 64)) (_ bv4 64)) (_ bv1 64)) ?x0)))
 (let (($x16 (= (bvand (bvlshr (bvor (bvand stateWord (_ bv18446744073709551600 64)) (_ bv0 64)) (_ bv0 64)) (_ bv15 64)) (_ bv0 64))))
 (let (($x17 (and (and (and (and (and (and $x16 $x15) $x14) $x13) $x12) $x11) $x10)))
 (let (($x18 (and (and (and (and (and (and $x17 $x9) $x8) $x7) $x6) $x5) $x4)))
 (let (($x19 (and (and (and $x18 $x3) $x2) $x1)))
 (not $x19))))))))))))))))))))))
(check-sat)
