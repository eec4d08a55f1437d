; obligation: kernel.layout.tcb.threadStateTags
; statement: every thread state's tag survives tsType (read back as written, so tags stay distinct) and keeps tcbQueued
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; kernel.layout.tcb.threadStateTags
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun stateWord () (_ BitVec 64))
(assert
 (let ((?x19 (bvand (bvlshr stateWord (_ bv4 64)) (_ bv1 64))))
 (let (($x88 (= (bvand (bvlshr (bvor (bvand stateWord (_ bv18446744073709551600 64)) (_ bv7 64)) (_ bv4 64)) (_ bv1 64)) ?x19)))
 (let (($x84 (= (bvand (bvlshr (bvor (bvand stateWord (_ bv18446744073709551600 64)) (_ bv7 64)) (_ bv0 64)) (_ bv15 64)) (_ bv7 64))))
 (let (($x78 (= (bvand (bvlshr (bvor (bvand stateWord (_ bv18446744073709551600 64)) (_ bv6 64)) (_ bv4 64)) (_ bv1 64)) ?x19)))
 (let (($x74 (= (bvand (bvlshr (bvor (bvand stateWord (_ bv18446744073709551600 64)) (_ bv6 64)) (_ bv0 64)) (_ bv15 64)) (_ bv6 64))))
 (let (($x68 (= (bvand (bvlshr (bvor (bvand stateWord (_ bv18446744073709551600 64)) (_ bv5 64)) (_ bv4 64)) (_ bv1 64)) ?x19)))
 (let (($x64 (= (bvand (bvlshr (bvor (bvand stateWord (_ bv18446744073709551600 64)) (_ bv5 64)) (_ bv0 64)) (_ bv15 64)) (_ bv5 64))))
 (let (($x58 (= (bvand (bvlshr (bvor (bvand stateWord (_ bv18446744073709551600 64)) (_ bv4 64)) (_ bv4 64)) (_ bv1 64)) ?x19)))
 (let (($x54 (= (bvand (bvlshr (bvor (bvand stateWord (_ bv18446744073709551600 64)) (_ bv4 64)) (_ bv0 64)) (_ bv15 64)) (_ bv4 64))))
 (let (($x49 (= (bvand (bvlshr (bvor (bvand stateWord (_ bv18446744073709551600 64)) (_ bv3 64)) (_ bv4 64)) (_ bv1 64)) ?x19)))
 (let (($x45 (= (bvand (bvlshr (bvor (bvand stateWord (_ bv18446744073709551600 64)) (_ bv3 64)) (_ bv0 64)) (_ bv15 64)) (_ bv3 64))))
 (let (($x39 (= (bvand (bvlshr (bvor (bvand stateWord (_ bv18446744073709551600 64)) (_ bv2 64)) (_ bv4 64)) (_ bv1 64)) ?x19)))
 (let (($x35 (= (bvand (bvlshr (bvor (bvand stateWord (_ bv18446744073709551600 64)) (_ bv2 64)) (_ bv0 64)) (_ bv15 64)) (_ bv2 64))))
 (let (($x29 (= (bvand (bvlshr (bvor (bvand stateWord (_ bv18446744073709551600 64)) (_ bv1 64)) (_ bv4 64)) (_ bv1 64)) ?x19)))
 (let (($x25 (= (bvand (bvlshr (bvor (bvand stateWord (_ bv18446744073709551600 64)) (_ bv1 64)) (_ bv0 64)) (_ bv15 64)) (_ bv1 64))))
 (let (($x20 (= (bvand (bvlshr (bvor (bvand stateWord (_ bv18446744073709551600 64)) (_ bv0 64)) (_ bv4 64)) (_ bv1 64)) ?x19)))
 (let (($x13 (= (bvand (bvlshr (bvor (bvand stateWord (_ bv18446744073709551600 64)) (_ bv0 64)) (_ bv0 64)) (_ bv15 64)) (_ bv0 64))))
 (let (($x46 (and (and (and (and (and (and $x13 $x20) $x25) $x29) $x35) $x39) $x45)))
 (let (($x75 (and (and (and (and (and (and $x46 $x49) $x54) $x58) $x64) $x68) $x74)))
 (let (($x89 (and (and (and $x75 $x78) $x84) $x88)))
 (not $x89))))))))))))))))))))))
(check-sat)
