; obligation: kernel.layout.endpoint.wordsInsideObject
; statement: every endpoint field word lies inside the object: offset + 8 <= 2^4
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; kernel.layout.endpoint.wordsInsideObject
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun endpoint () (_ BitVec 64))
(assert
 (bvule endpoint (_ bv281474976710655 64)))
(assert
 (= (bvand endpoint (_ bv15 64)) (_ bv0 64)))
(assert
 (let (($x0 (and (bvule endpoint (bvadd endpoint (_ bv0 64))) (bvule (bvadd (bvadd endpoint (_ bv0 64)) (_ bv8 64)) (bvadd endpoint (_ bv16 64))))))
 (let (($x1 (and (and $x0 (bvule endpoint (bvadd endpoint (_ bv8 64)))) (bvule (bvadd (bvadd endpoint (_ bv8 64)) (_ bv8 64)) (bvadd endpoint (_ bv16 64))))))
 (not $x1))))
(check-sat)
