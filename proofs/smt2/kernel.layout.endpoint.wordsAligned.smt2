; obligation: kernel.layout.endpoint.wordsAligned
; statement: every endpoint field word is 8-byte aligned in an object aligned to its 2^4 bytes
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; kernel.layout.endpoint.wordsAligned
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun endpoint () (_ BitVec 64))
(assert
 (bvule endpoint (_ bv281474976710655 64)))
(assert
 (= (bvand endpoint (_ bv15 64)) (_ bv0 64)))
(assert
 (let (($x0 (and (= (bvand (bvadd endpoint (_ bv0 64)) (_ bv7 64)) (_ bv0 64)) (= (bvand (bvadd endpoint (_ bv8 64)) (_ bv7 64)) (_ bv0 64)))))
 (not $x0)))
(check-sat)
