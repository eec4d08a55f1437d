; obligation: kernel.layout.tcb.wordsInsideObject
; statement: every tcb field word and array word lies inside the object: offset + 8 <= 2^11
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; kernel.layout.tcb.wordsInsideObject
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
 (let ((?x13 (bvadd tcb (_ bv2048 64))))
 (let ((?x47 (bvadd (bvadd tcb (_ bv264 64)) (bvmul tcbMsgRegistersIndex (_ bv8 64)))))
 (let (($x51 (and (bvule tcb (bvadd tcb (_ bv160 64))) (bvule (bvadd (bvadd tcb (_ bv160 64)) (_ bv8 64)) ?x13))))
 (let (($x56 (and (and $x51 (bvule tcb (bvadd tcb (_ bv168 64)))) (bvule (bvadd (bvadd tcb (_ bv168 64)) (_ bv8 64)) ?x13))))
 (let (($x61 (and (and $x56 (bvule tcb (bvadd tcb (_ bv176 64)))) (bvule (bvadd (bvadd tcb (_ bv176 64)) (_ bv8 64)) ?x13))))
 (let (($x66 (and (and $x61 (bvule tcb (bvadd tcb (_ bv184 64)))) (bvule (bvadd (bvadd tcb (_ bv184 64)) (_ bv8 64)) ?x13))))
 (let (($x71 (and (and $x66 (bvule tcb (bvadd tcb (_ bv192 64)))) (bvule (bvadd (bvadd tcb (_ bv192 64)) (_ bv8 64)) ?x13))))
 (let (($x76 (and (and $x71 (bvule tcb (bvadd tcb (_ bv200 64)))) (bvule (bvadd (bvadd tcb (_ bv200 64)) (_ bv8 64)) ?x13))))
 (let (($x81 (and (and $x76 (bvule tcb (bvadd tcb (_ bv208 64)))) (bvule (bvadd (bvadd tcb (_ bv208 64)) (_ bv8 64)) ?x13))))
 (let (($x86 (and (and $x81 (bvule tcb (bvadd tcb (_ bv216 64)))) (bvule (bvadd (bvadd tcb (_ bv216 64)) (_ bv8 64)) ?x13))))
 (let (($x91 (and (and $x86 (bvule tcb (bvadd tcb (_ bv224 64)))) (bvule (bvadd (bvadd tcb (_ bv224 64)) (_ bv8 64)) ?x13))))
 (let (($x96 (and (and $x91 (bvule tcb (bvadd tcb (_ bv232 64)))) (bvule (bvadd (bvadd tcb (_ bv232 64)) (_ bv8 64)) ?x13))))
 (let (($x101 (and (and $x96 (bvule tcb (bvadd tcb (_ bv240 64)))) (bvule (bvadd (bvadd tcb (_ bv240 64)) (_ bv8 64)) ?x13))))
 (let (($x106 (and (and $x101 (bvule tcb (bvadd tcb (_ bv248 64)))) (bvule (bvadd (bvadd tcb (_ bv248 64)) (_ bv8 64)) ?x13))))
 (let (($x111 (and (and $x106 (bvule tcb (bvadd tcb (_ bv256 64)))) (bvule (bvadd (bvadd tcb (_ bv256 64)) (_ bv8 64)) ?x13))))
 (let (($x116 (and (and $x111 (bvule tcb ?x47)) (bvule (bvadd ?x47 (_ bv8 64)) ?x13))))
 (not $x116))))))))))))))))))
(check-sat)
