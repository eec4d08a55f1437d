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
 (let ((?x145 (bvand (bvadd (bvadd tcb (_ bv2000 64)) (bvmul tcbCapsOrBadgesIndex (_ bv8 64))) (_ bv7 64))))
 (let ((?x142 (bvand (bvadd (bvadd tcb (_ bv1224 64)) (bvmul tcbRegistersIndex (_ bv8 64))) (_ bv7 64))))
 (let ((?x139 (bvand (bvadd (bvadd tcb (_ bv264 64)) (bvmul tcbMsgRegistersIndex (_ bv8 64))) (_ bv7 64))))
 (let (($x81 (and (= (bvand (bvadd tcb (_ bv160 64)) (_ bv7 64)) (_ bv0 64)) (= (bvand (bvadd tcb (_ bv168 64)) (_ bv7 64)) (_ bv0 64)))))
 (let (($x87 (and (and $x81 (= (bvand (bvadd tcb (_ bv176 64)) (_ bv7 64)) (_ bv0 64))) (= (bvand (bvadd tcb (_ bv184 64)) (_ bv7 64)) (_ bv0 64)))))
 (let (($x93 (and (and $x87 (= (bvand (bvadd tcb (_ bv192 64)) (_ bv7 64)) (_ bv0 64))) (= (bvand (bvadd tcb (_ bv200 64)) (_ bv7 64)) (_ bv0 64)))))
 (let (($x99 (and (and $x93 (= (bvand (bvadd tcb (_ bv208 64)) (_ bv7 64)) (_ bv0 64))) (= (bvand (bvadd tcb (_ bv216 64)) (_ bv7 64)) (_ bv0 64)))))
 (let (($x105 (and (and $x99 (= (bvand (bvadd tcb (_ bv224 64)) (_ bv7 64)) (_ bv0 64))) (= (bvand (bvadd tcb (_ bv232 64)) (_ bv7 64)) (_ bv0 64)))))
 (let (($x111 (and (and $x105 (= (bvand (bvadd tcb (_ bv240 64)) (_ bv7 64)) (_ bv0 64))) (= (bvand (bvadd tcb (_ bv248 64)) (_ bv7 64)) (_ bv0 64)))))
 (let (($x117 (and (and $x111 (= (bvand (bvadd tcb (_ bv256 64)) (_ bv7 64)) (_ bv0 64))) (= (bvand (bvadd tcb (_ bv1472 64)) (_ bv7 64)) (_ bv0 64)))))
 (let (($x123 (and (and $x117 (= (bvand (bvadd tcb (_ bv1480 64)) (_ bv7 64)) (_ bv0 64))) (= (bvand (bvadd tcb (_ bv1488 64)) (_ bv7 64)) (_ bv0 64)))))
 (let (($x129 (and (and $x123 (= (bvand (bvadd tcb (_ bv1496 64)) (_ bv7 64)) (_ bv0 64))) (= (bvand (bvadd tcb (_ bv1504 64)) (_ bv7 64)) (_ bv0 64)))))
 (let (($x135 (and (and $x129 (= (bvand (bvadd tcb (_ bv2024 64)) (_ bv7 64)) (_ bv0 64))) (= (bvand (bvadd tcb (_ bv2032 64)) (_ bv7 64)) (_ bv0 64)))))
 (let (($x141 (and (and $x135 (= (bvand (bvadd tcb (_ bv2040 64)) (_ bv7 64)) (_ bv0 64))) (= ?x139 (_ bv0 64)))))
 (let (($x147 (and (and $x141 (= ?x142 (_ bv0 64))) (= ?x145 (_ bv0 64)))))
 (not $x147)))))))))))))))))
(check-sat)
