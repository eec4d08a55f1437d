; obligation: kernel.layout.tcb.wordsInsideObject
; statement: every tcb field word and array word lies inside the object: offset + 8 <= 2^11
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; kernel.layout.tcb.wordsInsideObject
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
 (let ((?x13 (bvadd tcb (_ bv2048 64))))
 (let ((?x56 (bvadd (bvadd tcb (_ bv1224 64)) (bvmul tcbRegistersIndex (_ bv8 64)))))
 (let ((?x49 (bvadd (bvadd tcb (_ bv264 64)) (bvmul tcbMsgRegistersIndex (_ bv8 64)))))
 (let (($x60 (and (bvule tcb (bvadd tcb (_ bv160 64))) (bvule (bvadd (bvadd tcb (_ bv160 64)) (_ bv8 64)) ?x13))))
 (let (($x65 (and (and $x60 (bvule tcb (bvadd tcb (_ bv168 64)))) (bvule (bvadd (bvadd tcb (_ bv168 64)) (_ bv8 64)) ?x13))))
 (let (($x70 (and (and $x65 (bvule tcb (bvadd tcb (_ bv176 64)))) (bvule (bvadd (bvadd tcb (_ bv176 64)) (_ bv8 64)) ?x13))))
 (let (($x75 (and (and $x70 (bvule tcb (bvadd tcb (_ bv184 64)))) (bvule (bvadd (bvadd tcb (_ bv184 64)) (_ bv8 64)) ?x13))))
 (let (($x80 (and (and $x75 (bvule tcb (bvadd tcb (_ bv192 64)))) (bvule (bvadd (bvadd tcb (_ bv192 64)) (_ bv8 64)) ?x13))))
 (let (($x85 (and (and $x80 (bvule tcb (bvadd tcb (_ bv200 64)))) (bvule (bvadd (bvadd tcb (_ bv200 64)) (_ bv8 64)) ?x13))))
 (let (($x90 (and (and $x85 (bvule tcb (bvadd tcb (_ bv208 64)))) (bvule (bvadd (bvadd tcb (_ bv208 64)) (_ bv8 64)) ?x13))))
 (let (($x95 (and (and $x90 (bvule tcb (bvadd tcb (_ bv216 64)))) (bvule (bvadd (bvadd tcb (_ bv216 64)) (_ bv8 64)) ?x13))))
 (let (($x100 (and (and $x95 (bvule tcb (bvadd tcb (_ bv224 64)))) (bvule (bvadd (bvadd tcb (_ bv224 64)) (_ bv8 64)) ?x13))))
 (let (($x105 (and (and $x100 (bvule tcb (bvadd tcb (_ bv232 64)))) (bvule (bvadd (bvadd tcb (_ bv232 64)) (_ bv8 64)) ?x13))))
 (let (($x110 (and (and $x105 (bvule tcb (bvadd tcb (_ bv240 64)))) (bvule (bvadd (bvadd tcb (_ bv240 64)) (_ bv8 64)) ?x13))))
 (let (($x115 (and (and $x110 (bvule tcb (bvadd tcb (_ bv248 64)))) (bvule (bvadd (bvadd tcb (_ bv248 64)) (_ bv8 64)) ?x13))))
 (let (($x120 (and (and $x115 (bvule tcb (bvadd tcb (_ bv256 64)))) (bvule (bvadd (bvadd tcb (_ bv256 64)) (_ bv8 64)) ?x13))))
 (let (($x125 (and (and $x120 (bvule tcb (bvadd tcb (_ bv1472 64)))) (bvule (bvadd (bvadd tcb (_ bv1472 64)) (_ bv8 64)) ?x13))))
 (let (($x132 (and (and (and $x125 (bvule tcb ?x49)) (bvule (bvadd ?x49 (_ bv8 64)) ?x13)) (bvule tcb ?x56))))
 (let (($x135 (and $x132 (bvule (bvadd ?x56 (_ bv8 64)) ?x13))))
 (not $x135)))))))))))))))))))))
(check-sat)
