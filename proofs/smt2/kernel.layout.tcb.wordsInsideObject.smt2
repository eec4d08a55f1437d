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
 (let ((?x66 (bvadd (bvadd tcb (_ bv1224 64)) (bvmul tcbRegistersIndex (_ bv8 64)))))
 (let ((?x59 (bvadd (bvadd tcb (_ bv264 64)) (bvmul tcbMsgRegistersIndex (_ bv8 64)))))
 (let (($x70 (and (bvule tcb (bvadd tcb (_ bv160 64))) (bvule (bvadd (bvadd tcb (_ bv160 64)) (_ bv8 64)) ?x13))))
 (let (($x75 (and (and $x70 (bvule tcb (bvadd tcb (_ bv168 64)))) (bvule (bvadd (bvadd tcb (_ bv168 64)) (_ bv8 64)) ?x13))))
 (let (($x80 (and (and $x75 (bvule tcb (bvadd tcb (_ bv176 64)))) (bvule (bvadd (bvadd tcb (_ bv176 64)) (_ bv8 64)) ?x13))))
 (let (($x85 (and (and $x80 (bvule tcb (bvadd tcb (_ bv184 64)))) (bvule (bvadd (bvadd tcb (_ bv184 64)) (_ bv8 64)) ?x13))))
 (let (($x90 (and (and $x85 (bvule tcb (bvadd tcb (_ bv192 64)))) (bvule (bvadd (bvadd tcb (_ bv192 64)) (_ bv8 64)) ?x13))))
 (let (($x95 (and (and $x90 (bvule tcb (bvadd tcb (_ bv200 64)))) (bvule (bvadd (bvadd tcb (_ bv200 64)) (_ bv8 64)) ?x13))))
 (let (($x100 (and (and $x95 (bvule tcb (bvadd tcb (_ bv208 64)))) (bvule (bvadd (bvadd tcb (_ bv208 64)) (_ bv8 64)) ?x13))))
 (let (($x105 (and (and $x100 (bvule tcb (bvadd tcb (_ bv216 64)))) (bvule (bvadd (bvadd tcb (_ bv216 64)) (_ bv8 64)) ?x13))))
 (let (($x110 (and (and $x105 (bvule tcb (bvadd tcb (_ bv224 64)))) (bvule (bvadd (bvadd tcb (_ bv224 64)) (_ bv8 64)) ?x13))))
 (let (($x115 (and (and $x110 (bvule tcb (bvadd tcb (_ bv232 64)))) (bvule (bvadd (bvadd tcb (_ bv232 64)) (_ bv8 64)) ?x13))))
 (let (($x120 (and (and $x115 (bvule tcb (bvadd tcb (_ bv240 64)))) (bvule (bvadd (bvadd tcb (_ bv240 64)) (_ bv8 64)) ?x13))))
 (let (($x125 (and (and $x120 (bvule tcb (bvadd tcb (_ bv248 64)))) (bvule (bvadd (bvadd tcb (_ bv248 64)) (_ bv8 64)) ?x13))))
 (let (($x130 (and (and $x125 (bvule tcb (bvadd tcb (_ bv256 64)))) (bvule (bvadd (bvadd tcb (_ bv256 64)) (_ bv8 64)) ?x13))))
 (let (($x135 (and (and $x130 (bvule tcb (bvadd tcb (_ bv1472 64)))) (bvule (bvadd (bvadd tcb (_ bv1472 64)) (_ bv8 64)) ?x13))))
 (let (($x140 (and (and $x135 (bvule tcb (bvadd tcb (_ bv1480 64)))) (bvule (bvadd (bvadd tcb (_ bv1480 64)) (_ bv8 64)) ?x13))))
 (let (($x145 (and (and $x140 (bvule tcb (bvadd tcb (_ bv1488 64)))) (bvule (bvadd (bvadd tcb (_ bv1488 64)) (_ bv8 64)) ?x13))))
 (let (($x150 (and (and $x145 (bvule tcb (bvadd tcb (_ bv1496 64)))) (bvule (bvadd (bvadd tcb (_ bv1496 64)) (_ bv8 64)) ?x13))))
 (let (($x155 (and (and $x150 (bvule tcb (bvadd tcb (_ bv1504 64)))) (bvule (bvadd (bvadd tcb (_ bv1504 64)) (_ bv8 64)) ?x13))))
 (let (($x160 (and (and $x155 (bvule tcb (bvadd tcb (_ bv1512 64)))) (bvule (bvadd (bvadd tcb (_ bv1512 64)) (_ bv8 64)) ?x13))))
 (let (($x167 (and (and (and $x160 (bvule tcb ?x59)) (bvule (bvadd ?x59 (_ bv8 64)) ?x13)) (bvule tcb ?x66))))
 (let (($x170 (and $x167 (bvule (bvadd ?x66 (_ bv8 64)) ?x13))))
 (not $x170))))))))))))))))))))))))))
(check-sat)
