; obligation: kernel.layout.endpoint.zeroIsIdle
; statement: a zeroed endpoint tail-and-state word (a freshly retyped endpoint) reads as Idle with no tail
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; kernel.layout.endpoint.zeroIsIdle
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun word1 () (_ BitVec 64))
(assert
 (= word1 (_ bv0 64)))
(assert
 (let (($x0 (and (= (bvand (bvlshr word1 (_ bv0 64)) (_ bv3 64)) (_ bv0 64)) (= (bvshl (bvand (bvlshr word1 (_ bv2 64)) (_ bv70368744177663 64)) (_ bv2 64)) (_ bv0 64)))))
 (not $x0)))
(check-sat)
