; obligation: kernel.layout.endpoint.wordsDisjoint
; statement: no two endpoint field words overlap
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; kernel.layout.endpoint.wordsDisjoint
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun endpoint () (_ BitVec 64))
(assert
 (bvule endpoint (_ bv281474976710655 64)))
(assert
 (= (bvand endpoint (_ bv15 64)) (_ bv0 64)))
(assert
 (let (($x0 (or (bvule (bvadd (bvadd endpoint (_ bv0 64)) (_ bv8 64)) (bvadd endpoint (_ bv8 64))) (bvule (bvadd (bvadd endpoint (_ bv8 64)) (_ bv8 64)) (bvadd endpoint (_ bv0 64))))))
 (not $x0)))
(check-sat)
