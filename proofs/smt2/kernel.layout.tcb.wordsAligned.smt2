; obligation: kernel.layout.tcb.wordsAligned
; statement: every tcb field word and array word is 8-byte aligned in an object aligned to its 2^11 bytes
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; kernel.layout.tcb.wordsAligned
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun tcb () (_ BitVec 64))
(declare-fun tcbMsgRegistersIndex () (_ BitVec 64))
(declare-fun tcbRegistersIndex () (_ BitVec 64))
(declare-fun tcbCapsOrBadgesIndex () (_ BitVec 64))
(assert
 (bvule tcb (_ bv281474976710655 64)))
(assert
 (= (bvand tcb (_ bv2047 64)) (_ bv0 64)))
(assert
 (bvult tcbMsgRegistersIndex (_ bv120 64)))
(assert
 (bvult tcbRegistersIndex (_ bv31 64)))
(assert
 (bvult tcbCapsOrBadgesIndex (_ bv3 64)))
(assert
 (let ((?x0 (bvand (bvadd (bvadd tcb (_ bv2000 64)) (bvmul tcbCapsOrBadgesIndex (_ bv8 64))) (_ bv7 64))))
 (let ((?x1 (bvand (bvadd (bvadd tcb (_ bv1224 64)) (bvmul tcbRegistersIndex (_ bv8 64))) (_ bv7 64))))
 (let ((?x2 (bvand (bvadd (bvadd tcb (_ bv264 64)) (bvmul tcbMsgRegistersIndex (_ bv8 64))) (_ bv7 64))))
 (let (($x3 (and (= (bvand (bvadd tcb (_ bv160 64)) (_ bv7 64)) (_ bv0 64)) (= (bvand (bvadd tcb (_ bv168 64)) (_ bv7 64)) (_ bv0 64)))))
 (let (($x4 (and (and $x3 (= (bvand (bvadd tcb (_ bv176 64)) (_ bv7 64)) (_ bv0 64))) (= (bvand (bvadd tcb (_ bv184 64)) (_ bv7 64)) (_ bv0 64)))))
 (let (($x5 (and (and $x4 (= (bvand (bvadd tcb (_ bv192 64)) (_ bv7 64)) (_ bv0 64))) (= (bvand (bvadd tcb (_ bv200 64)) (_ bv7 64)) (_ bv0 64)))))
 (let (($x6 (and (and $x5 (= (bvand (bvadd tcb (_ bv208 64)) (_ bv7 64)) (_ bv0 64))) (= (bvand (bvadd tcb (_ bv216 64)) (_ bv7 64)) (_ bv0 64)))))
 (let (($x7 (and (and $x6 (= (bvand (bvadd tcb (_ bv224 64)) (_ bv7 64)) (_ bv0 64))) (= (bvand (bvadd tcb (_ bv232 64)) (_ bv7 64)) (_ bv0 64)))))
 (let (($x8 (and (and $x7 (= (bvand (bvadd tcb (_ bv240 64)) (_ bv7 64)) (_ bv0 64))) (= (bvand (bvadd tcb (_ bv248 64)) (_ bv7 64)) (_ bv0 64)))))
 (let (($x9 (and (and $x8 (= (bvand (bvadd tcb (_ bv256 64)) (_ bv7 64)) (_ bv0 64))) (= (bvand (bvadd tcb (_ bv1472 64)) (_ bv7 64)) (_ bv0 64)))))
 (let (($x10 (and (and $x9 (= (bvand (bvadd tcb (_ bv1480 64)) (_ bv7 64)) (_ bv0 64))) (= (bvand (bvadd tcb (_ bv1488 64)) (_ bv7 64)) (_ bv0 64)))))
 (let (($x11 (and (and $x10 (= (bvand (bvadd tcb (_ bv1496 64)) (_ bv7 64)) (_ bv0 64))) (= (bvand (bvadd tcb (_ bv1504 64)) (_ bv7 64)) (_ bv0 64)))))
 (let (($x12 (and (and $x11 (= (bvand (bvadd tcb (_ bv2024 64)) (_ bv7 64)) (_ bv0 64))) (= (bvand (bvadd tcb (_ bv2032 64)) (_ bv7 64)) (_ bv0 64)))))
 (let (($x13 (and (and $x12 (= (bvand (bvadd tcb (_ bv2040 64)) (_ bv7 64)) (_ bv0 64))) (= (bvand (bvadd tcb (_ bv1512 64)) (_ bv7 64)) (_ bv0 64)))))
 (let (($x14 (and (and $x13 (= (bvand (bvadd tcb (_ bv1520 64)) (_ bv7 64)) (_ bv0 64))) (= (bvand (bvadd tcb (_ bv1968 64)) (_ bv7 64)) (_ bv0 64)))))
 (let (($x15 (and (and $x14 (= (bvand (bvadd tcb (_ bv1976 64)) (_ bv7 64)) (_ bv0 64))) (= (bvand (bvadd tcb (_ bv1984 64)) (_ bv7 64)) (_ bv0 64)))))
 (let (($x16 (and (and $x15 (= (bvand (bvadd tcb (_ bv1992 64)) (_ bv7 64)) (_ bv0 64))) (= ?x2 (_ bv0 64)))))
 (let (($x17 (and (and $x16 (= ?x1 (_ bv0 64))) (= ?x0 (_ bv0 64)))))
 (not $x17))))))))))))))))))))
(check-sat)
