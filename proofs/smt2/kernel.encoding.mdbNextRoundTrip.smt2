; obligation: kernel.encoding.mdbNextRoundTrip
; statement: a CTE address below 2^48 (32-byte aligned) survives mdbNext's bits 47..2
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; kernel.encoding.mdbNextRoundTrip
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun cte () (_ BitVec 64))
(declare-fun word () (_ BitVec 64))
(assert
 (bvule cte (_ bv281474976710655 64)))
(assert
 (= (bvand cte (_ bv31 64)) (_ bv0 64)))
(assert
 (let ((?x0 (bvor (bvand word (_ bv18446462598732840963 64)) (bvshl (bvand (bvlshr cte (_ bv2 64)) (_ bv70368744177663 64)) (_ bv2 64)))))
 (let (($x1 (= (bvshl (bvand (bvlshr ?x0 (_ bv2 64)) (_ bv70368744177663 64)) (_ bv2 64)) cte)))
 (not $x1))))
(check-sat)
