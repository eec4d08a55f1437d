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
(assert
 (bvule tcb (_ bv281474976710655 64)))
(assert
 (= (bvand tcb (_ bv2047 64)) (_ bv0 64)))
(assert
 (bvult tcbMsgRegistersIndex (_ bv120 64)))
(assert
 (bvult tcbRegistersIndex (_ bv31 64)))
(assert
 (let ((?x125 (bvand (bvadd (bvadd tcb (_ bv1224 64)) (bvmul tcbRegistersIndex (_ bv8 64))) (_ bv7 64))))
 (let ((?x122 (bvand (bvadd (bvadd tcb (_ bv264 64)) (bvmul tcbMsgRegistersIndex (_ bv8 64))) (_ bv7 64))))
 (let (($x70 (and (= (bvand (bvadd tcb (_ bv160 64)) (_ bv7 64)) (_ bv0 64)) (= (bvand (bvadd tcb (_ bv168 64)) (_ bv7 64)) (_ bv0 64)))))
 (let (($x76 (and (and $x70 (= (bvand (bvadd tcb (_ bv176 64)) (_ bv7 64)) (_ bv0 64))) (= (bvand (bvadd tcb (_ bv184 64)) (_ bv7 64)) (_ bv0 64)))))
 (let (($x82 (and (and $x76 (= (bvand (bvadd tcb (_ bv192 64)) (_ bv7 64)) (_ bv0 64))) (= (bvand (bvadd tcb (_ bv200 64)) (_ bv7 64)) (_ bv0 64)))))
 (let (($x88 (and (and $x82 (= (bvand (bvadd tcb (_ bv208 64)) (_ bv7 64)) (_ bv0 64))) (= (bvand (bvadd tcb (_ bv216 64)) (_ bv7 64)) (_ bv0 64)))))
 (let (($x94 (and (and $x88 (= (bvand (bvadd tcb (_ bv224 64)) (_ bv7 64)) (_ bv0 64))) (= (bvand (bvadd tcb (_ bv232 64)) (_ bv7 64)) (_ bv0 64)))))
 (let (($x100 (and (and $x94 (= (bvand (bvadd tcb (_ bv240 64)) (_ bv7 64)) (_ bv0 64))) (= (bvand (bvadd tcb (_ bv248 64)) (_ bv7 64)) (_ bv0 64)))))
 (let (($x106 (and (and $x100 (= (bvand (bvadd tcb (_ bv256 64)) (_ bv7 64)) (_ bv0 64))) (= (bvand (bvadd tcb (_ bv1472 64)) (_ bv7 64)) (_ bv0 64)))))
 (let (($x112 (and (and $x106 (= (bvand (bvadd tcb (_ bv1480 64)) (_ bv7 64)) (_ bv0 64))) (= (bvand (bvadd tcb (_ bv1488 64)) (_ bv7 64)) (_ bv0 64)))))
 (let (($x118 (and (and $x112 (= (bvand (bvadd tcb (_ bv1496 64)) (_ bv7 64)) (_ bv0 64))) (= (bvand (bvadd tcb (_ bv1504 64)) (_ bv7 64)) (_ bv0 64)))))
 (let (($x124 (and (and $x118 (= (bvand (bvadd tcb (_ bv1512 64)) (_ bv7 64)) (_ bv0 64))) (= ?x122 (_ bv0 64)))))
 (let (($x127 (and $x124 (= ?x125 (_ bv0 64)))))
 (not $x127)))))))))))))))
(check-sat)
