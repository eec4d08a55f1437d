; obligation: kernel.layout.tcb.wordsAligned
; statement: every tcb field word and array word is 8-byte aligned in an object aligned to its 2^11 bytes
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; kernel.layout.tcb.wordsAligned
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun tcb () (_ BitVec 64))
(declare-fun tcbMsgRegistersIndex () (_ BitVec 64))
(assert
 (bvule tcb (_ bv281474976710655 64)))
(assert
 (= (bvand tcb (_ bv2047 64)) (_ bv0 64)))
(assert
 (bvult tcbMsgRegistersIndex (_ bv120 64)))
(assert
 (let ((?x85 (bvand (bvadd (bvadd tcb (_ bv264 64)) (bvmul tcbMsgRegistersIndex (_ bv8 64))) (_ bv7 64))))
 (let (($x51 (and (= (bvand (bvadd tcb (_ bv160 64)) (_ bv7 64)) (_ bv0 64)) (= (bvand (bvadd tcb (_ bv168 64)) (_ bv7 64)) (_ bv0 64)))))
 (let (($x57 (and (and $x51 (= (bvand (bvadd tcb (_ bv176 64)) (_ bv7 64)) (_ bv0 64))) (= (bvand (bvadd tcb (_ bv184 64)) (_ bv7 64)) (_ bv0 64)))))
 (let (($x63 (and (and $x57 (= (bvand (bvadd tcb (_ bv192 64)) (_ bv7 64)) (_ bv0 64))) (= (bvand (bvadd tcb (_ bv200 64)) (_ bv7 64)) (_ bv0 64)))))
 (let (($x69 (and (and $x63 (= (bvand (bvadd tcb (_ bv208 64)) (_ bv7 64)) (_ bv0 64))) (= (bvand (bvadd tcb (_ bv216 64)) (_ bv7 64)) (_ bv0 64)))))
 (let (($x75 (and (and $x69 (= (bvand (bvadd tcb (_ bv224 64)) (_ bv7 64)) (_ bv0 64))) (= (bvand (bvadd tcb (_ bv232 64)) (_ bv7 64)) (_ bv0 64)))))
 (let (($x81 (and (and $x75 (= (bvand (bvadd tcb (_ bv240 64)) (_ bv7 64)) (_ bv0 64))) (= (bvand (bvadd tcb (_ bv248 64)) (_ bv7 64)) (_ bv0 64)))))
 (let (($x87 (and (and $x81 (= (bvand (bvadd tcb (_ bv256 64)) (_ bv7 64)) (_ bv0 64))) (= ?x85 (_ bv0 64)))))
 (not $x87))))))))))
(check-sat)
