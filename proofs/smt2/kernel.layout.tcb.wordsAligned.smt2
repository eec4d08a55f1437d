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
 (let ((?x150 (bvand (bvadd (bvadd tcb (_ bv2000 64)) (bvmul tcbCapsOrBadgesIndex (_ bv8 64))) (_ bv7 64))))
 (let ((?x147 (bvand (bvadd (bvadd tcb (_ bv1224 64)) (bvmul tcbRegistersIndex (_ bv8 64))) (_ bv7 64))))
 (let ((?x144 (bvand (bvadd (bvadd tcb (_ bv264 64)) (bvmul tcbMsgRegistersIndex (_ bv8 64))) (_ bv7 64))))
 (let (($x83 (and (= (bvand (bvadd tcb (_ bv160 64)) (_ bv7 64)) (_ bv0 64)) (= (bvand (bvadd tcb (_ bv168 64)) (_ bv7 64)) (_ bv0 64)))))
 (let (($x89 (and (and $x83 (= (bvand (bvadd tcb (_ bv176 64)) (_ bv7 64)) (_ bv0 64))) (= (bvand (bvadd tcb (_ bv184 64)) (_ bv7 64)) (_ bv0 64)))))
 (let (($x95 (and (and $x89 (= (bvand (bvadd tcb (_ bv192 64)) (_ bv7 64)) (_ bv0 64))) (= (bvand (bvadd tcb (_ bv200 64)) (_ bv7 64)) (_ bv0 64)))))
 (let (($x101 (and (and $x95 (= (bvand (bvadd tcb (_ bv208 64)) (_ bv7 64)) (_ bv0 64))) (= (bvand (bvadd tcb (_ bv216 64)) (_ bv7 64)) (_ bv0 64)))))
 (let (($x107 (and (and $x101 (= (bvand (bvadd tcb (_ bv224 64)) (_ bv7 64)) (_ bv0 64))) (= (bvand (bvadd tcb (_ bv232 64)) (_ bv7 64)) (_ bv0 64)))))
 (let (($x113 (and (and $x107 (= (bvand (bvadd tcb (_ bv240 64)) (_ bv7 64)) (_ bv0 64))) (= (bvand (bvadd tcb (_ bv248 64)) (_ bv7 64)) (_ bv0 64)))))
 (let (($x119 (and (and $x113 (= (bvand (bvadd tcb (_ bv256 64)) (_ bv7 64)) (_ bv0 64))) (= (bvand (bvadd tcb (_ bv1472 64)) (_ bv7 64)) (_ bv0 64)))))
 (let (($x125 (and (and $x119 (= (bvand (bvadd tcb (_ bv1480 64)) (_ bv7 64)) (_ bv0 64))) (= (bvand (bvadd tcb (_ bv1488 64)) (_ bv7 64)) (_ bv0 64)))))
 (let (($x131 (and (and $x125 (= (bvand (bvadd tcb (_ bv1496 64)) (_ bv7 64)) (_ bv0 64))) (= (bvand (bvadd tcb (_ bv1504 64)) (_ bv7 64)) (_ bv0 64)))))
 (let (($x137 (and (and $x131 (= (bvand (bvadd tcb (_ bv2024 64)) (_ bv7 64)) (_ bv0 64))) (= (bvand (bvadd tcb (_ bv2032 64)) (_ bv7 64)) (_ bv0 64)))))
 (let (($x143 (and (and $x137 (= (bvand (bvadd tcb (_ bv2040 64)) (_ bv7 64)) (_ bv0 64))) (= (bvand (bvadd tcb (_ bv1512 64)) (_ bv7 64)) (_ bv0 64)))))
 (let (($x152 (and (and (and $x143 (= ?x144 (_ bv0 64))) (= ?x147 (_ bv0 64))) (= ?x150 (_ bv0 64)))))
 (not $x152)))))))))))))))))
(check-sat)
